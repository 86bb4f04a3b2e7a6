import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCommitter, type FileSinkCommittable } from '@runnel/connector-files';
import { tempDir } from './part-file-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function pending(name: string, content: string): Promise<FileSinkCommittable> {
  await writeFile(join(dir, `.${name}.inprogress`), content);
  return { pendingName: `.${name}.inprogress`, finalName: name, size: Buffer.byteLength(content) };
}

describe('FileCommitter', () => {
  it('renames pending files to their final names, and a repeated commit is a no-op', async () => {
    const a = await pending('part-0-1-0.jsonl', '{"a":1}\n');
    const b = await pending('part-1-1-0.jsonl', '{"b":"ü"}\n');
    const committer = new FileCommitter(dir);
    const requests = [
      { checkpointId: 1, committable: a },
      { checkpointId: 1, committable: b },
    ];
    await committer.commit(requests);
    expect((await readdir(dir)).sort()).toEqual(['part-0-1-0.jsonl', 'part-1-1-0.jsonl']);
    expect(await readFile(join(dir, 'part-1-1-0.jsonl'), 'utf8')).toBe('{"b":"ü"}\n');
    await committer.commit(requests); // after a restore: already committed
    await committer.commit([]);
    expect((await readdir(dir)).sort()).toEqual(['part-0-1-0.jsonl', 'part-1-1-0.jsonl']);
    committer.close();
  });

  it('fails with a clear message, naming the file, when a committable can be neither committed nor recognized', async () => {
    const committer = new FileCommitter(dir);
    const gone = { pendingName: '.part-0-3-9.jsonl.inprogress', finalName: 'part-0-3-9.jsonl', size: 5 };
    await expect(committer.commit([{ checkpointId: 3, committable: gone }])).rejects.toThrow(
      /checkpoint 3: neither the pending file '.*\.part-0-3-9\.jsonl\.inprogress' nor the committed file '.*part-0-3-9\.jsonl' exists/,
    );

    const short = await pending('part-0-4-1.jsonl', '{"x":1}\n');
    await expect(committer.commit([{ checkpointId: 4, committable: { ...short, size: 100 } }])).rejects.toThrow(
      /\.part-0-4-1\.jsonl\.inprogress.*has 8 bytes, the checkpoint recorded 100/,
    );

    const clash = await pending('part-0-5-2.jsonl', '{"y":1}\n');
    await writeFile(join(dir, 'part-0-5-2.jsonl'), 'someone else\n');
    await expect(committer.commit([{ checkpointId: 5, committable: clash }])).rejects.toThrow(/already exists/);
    expect(await readFile(join(dir, 'part-0-5-2.jsonl'), 'utf8')).toBe('someone else\n'); // never overwritten

    const replaced = { pendingName: '.part-0-6-3.jsonl.inprogress', finalName: 'part-0-6-3.jsonl', size: 3 };
    await writeFile(join(dir, 'part-0-6-3.jsonl'), 'a different file\n');
    await expect(committer.commit([{ checkpointId: 6, committable: replaced }])).rejects.toThrow(
      /has 17 bytes, not the recorded 3/,
    );
  });
});
