// Which option values are secrets, so that SHOW CREATE TABLE, EXPLAIN, SET listings and error messages never print
// them. The rule is Flink's: a key containing one of these words is sensitive, whatever connector declares it.
const SENSITIVE = ['password', 'secret', 'fs.azure.account.key', 'apikey', 'api-key', 'auth-params', 'service-key', 'token', 'basic-auth', 'jaas.config', 'http-headers', 'credentials'];

/** Whether an option's value must be hidden. @public */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase();
  return SENSITIVE.some((s) => k.includes(s));
}
