// console.trace prints "Trace: <message>" and the stack to stderr.
console.log(`${new Date().toISOString()} info: retrying payment`);
function retry() { console.trace('retry loop entered twice'); }
retry();
console.log(`${new Date().toISOString()} info: payment retried`);
