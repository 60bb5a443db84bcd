// A deprecation warning with --trace-deprecation: the warning and the stack that caused it.
console.log(`${new Date().toISOString()} info: encoding payload`);
const b = new Buffer('payload');
console.log(`${new Date().toISOString()} info: encoded ${b.length} bytes`);
