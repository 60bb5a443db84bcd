// An uncaught error with Error.stackTraceLimit = 0: Node prints the source line, the caret
// and the error line, with no frames.
Error.stackTraceLimit = 0;
console.log(`${new Date().toISOString()} info: parsing flags`);
throw new TypeError('--port must be a number');
