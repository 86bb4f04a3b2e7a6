// Runs @runnel/testing's state backend conformance suite against Runnel's own backends, as a plugin author would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { HeapStateBackend } from '@runnel/state-heap';
import { LevelStateBackend } from '@runnel/state-level';
import { describeConformance, stateBackendConformance } from '@runnel/testing';

describeConformance(stateBackendConformance({ name: 'heap state backend', createBackend: () => new HeapStateBackend() }), { describe, it });

const dirs: string[] = [];
describeConformance(
  stateBackendConformance({
    name: 'level state backend',
    createBackend: () => new LevelStateBackend(),
    localDirectory: async () => {
      const d = await mkdtemp(join(tmpdir(), 'runnel-conformance-level-'));
      dirs.push(d);
      return d;
    },
    cleanup: async () => {
      for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    },
  }),
  { describe, it },
);
