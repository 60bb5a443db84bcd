// An uncaught error thrown by Node's own API, with its code property: Node prints the
// source line, a caret, the stack, the error's properties and its version.
console.log(`${new Date().toISOString()} info: writing report`);
const fs = require('fs');
fs.writeFileSync('/tmp/report.json', 42);
