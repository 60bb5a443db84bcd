// An uncaught DOMException (AbortSignal.timeout): node prints the throwing line, a caret,
// "DOMException [TimeoutError]: ...", its frames and the Node.js version, after an ordinary line.
console.log(`${new Date().toISOString()} INFO fetching upstream with a 10 ms timeout`);
const signal = AbortSignal.timeout(10);
setTimeout(() => { signal.throwIfAborted(); }, 50);
