// Checkpoints and savepoints already written hold these bytes: the serializers must keep reading them (and keep
// writing the same bytes for the same values). The hex strings are what the serializers wrote before they moved
// onto `@runnel/codec`'s jsonVersionedSerializer (each connector had its own JSON helper until then).
import { describe, expect, it } from 'vitest';
import { END_OF_INPUT_CHECKPOINT_ID, type VersionedSerializer } from '@runnel/api';
import {
  fileEnumeratorStateSerializer,
  fileSinkCommittableSerializer,
  fileSinkWriterStateSerializer,
  fileSplitSerializer,
} from '../src/index.js';

const hex = (...parts: string[]): Uint8Array => Uint8Array.from(Buffer.from(parts.join(''), 'hex'));

const split = { splitId: '/data/in/ä-2024.jsonl', path: '/data/in/ä-2024.jsonl', offset: 123_456_789_012, line: 42 };
const cases: { serializer: VersionedSerializer<any>; id: string; value: unknown; bytes: Uint8Array }[] = [
  {
    serializer: fileSplitSerializer,
    id: 'runnel.files.split',
    value: split,
    bytes: hex(
      // {"splitId":"/data/in/ä-2024.jsonl","path":"/data/in/ä-2024.jsonl","offset":123456789012,"line":42}
      '7b2273706c69744964223a222f646174612f696e2fc3a42d323032342e6a736f6e6c222c2270617468223a222f646174',
      '612f696e2fc3a42d323032342e6a736f6e6c222c226f6666736574223a3132333435363738393031322c226c696e6522',
      '3a34327d',
    ),
  },
  {
    serializer: fileEnumeratorStateSerializer,
    id: 'runnel.files.enumerator-state',
    value: { pendingSplits: [split, { splitId: '/b', path: '/b', offset: 0, line: 1 }], discoveredPaths: ['/data/in/ä-2024.jsonl', '/b', '/c'], initialDiscoveryDone: true },
    bytes: hex(
      // {"pendingSplits":[{"splitId":"/data/in/ä-2024.jsonl","path":"/data/in/ä-2024.jsonl","offset":123456789012,"line":42},{"splitId":"/b","path":"/b","offset":0,"line":1}],"discoveredPaths":["/data/in/ä-2024.jsonl","/b","/c"],"initialDiscoveryDone":true}
      '7b2270656e64696e6753706c697473223a5b7b2273706c69744964223a222f646174612f696e2fc3a42d323032342e6a',
      '736f6e6c222c2270617468223a222f646174612f696e2fc3a42d323032342e6a736f6e6c222c226f6666736574223a31',
      '32333435363738393031322c226c696e65223a34327d2c7b2273706c69744964223a222f62222c2270617468223a222f',
      '62222c226f6666736574223a302c226c696e65223a317d5d2c22646973636f76657265645061746873223a5b222f6461',
      '74612f696e2fc3a42d323032342e6a736f6e6c222c222f62222c222f63225d2c22696e697469616c446973636f766572',
      '79446f6e65223a747275657d',
    ),
  },
  {
    serializer: fileSinkCommittableSerializer,
    id: 'runnel.files.sink-committable',
    value: { pendingName: '.part-1-0-3.jsonl.inprogress', finalName: 'part-1-7-3.jsonl', size: 4096 },
    bytes: hex(
      // {"pendingName":".part-1-0-3.jsonl.inprogress","finalName":"part-1-7-3.jsonl","size":4096}
      '7b2270656e64696e674e616d65223a222e706172742d312d302d332e6a736f6e6c2e696e70726f6772657373222c2266',
      '696e616c4e616d65223a22706172742d312d372d332e6a736f6e6c222c2273697a65223a343039367d',
    ),
  },
  {
    serializer: fileSinkWriterStateSerializer,
    id: 'runnel.files.sink-writer-state',
    value: { subtask: 1, checkpointId: END_OF_INPUT_CHECKPOINT_ID, nextCounter: 4 },
    bytes: hex(
      // {"subtask":1,"checkpointId":9007199254740991,"nextCounter":4}
      '7b227375627461736b223a312c22636865636b706f696e744964223a393030373139393235343734303939312c226e65',
      '7874436f756e746572223a347d',
    ),
  },
];

describe('persisted bytes of the file connector', () => {
  for (const c of cases) {
    it(`${c.id} version 1: reads the bytes written before, writes the same bytes`, () => {
      expect([c.serializer.id, c.serializer.version]).toEqual([c.id, 1]);
      expect(c.serializer.deserialize(c.bytes, 1)).toEqual(c.value);
      expect(c.serializer.serialize(c.value)).toEqual(c.bytes);
    });
  }
});
