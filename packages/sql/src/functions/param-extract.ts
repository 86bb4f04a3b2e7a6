// A compile-time specialisation of REGEXP_EXTRACT for the key-value pattern `(X|^)KEY([^C]*)` (also `(^|X)`): the
// value of a parameter `KEY` that starts the text or follows the separator X, up to the next C — Nexmark q21's
// `(&|^)channel_id=([^&]*)` on URLs. Two indexOf calls and a slice instead of running the regex and building its
// match array (about 35 ns against 15-20 ns per row on the reference VM).
//
// Why it is the same as the regex: the regex matches at the leftmost start i where either the first alternative
// matches (s[i] = X and KEY follows) or, at i = 0, `^` does (s starts with KEY). Because X does not occur in KEY, both
// cannot hold at 0 (that would need KEY to start with X), so: if s starts with KEY the match starts at 0 through
// `^` (group 1 empty); else the leftmost match is the first occurrence of X + KEY (group 1 = X), or there is none.
// `[^C]*` is greedy and cannot fail, so group 2 runs from after KEY to the next C or the end. Only a regex without
// flags is taken (no `m`: `^` is the text's start; no `i`: exact characters), and KEY, X and C only from a set of
// characters that are never syntax, so the source text is read exactly.

/** Characters that stand for themselves in a pattern (not syntax, not escapes). */
const PLAIN = "[A-Za-z0-9_=:;,@#%~!<>/&'\"-]";
const SHAPE = new RegExp(`^\\((?:(${PLAIN})\\|\\^|\\^\\|(${PLAIN}))\\)(${PLAIN}+)\\(\\[\\^(${PLAIN})\\]\\*\\)$`);

/** The groups of a match (0: the whole match, 1: the separator or '', 2: the value) of one text, or null. */
export type ParamExtractor = (s: string, group: number) => string | null;

/**
 * The specialised extractor of `re`, or undefined when it is not of the key-value shape.
 *
 * @internal
 */
export function paramExtractor(re: RegExp): ParamExtractor | undefined {
  if (re.flags !== '') return undefined;
  const m = SHAPE.exec(re.source);
  if (!m) return undefined;
  const sep = (m[1] ?? m[2])!;
  const key = m[3]!;
  const stop = m[4]!;
  if (key.includes(sep)) return undefined; // see the module comment: `^` and X could both match at 0
  const sepKey = sep + key;
  return (s, group) => {
    let at: number; // where the value starts
    let start: number; // where the match starts
    let first: string;
    if (s.startsWith(key)) {
      start = 0;
      at = key.length;
      first = '';
    } else {
      start = s.indexOf(sepKey);
      if (start < 0) return null;
      at = start + sepKey.length;
      first = sep;
    }
    if (group === 1) return first;
    const end = s.indexOf(stop, at);
    const e = end < 0 ? s.length : end;
    return group === 2 ? s.slice(at, e) : s.slice(start, e);
  };
}
