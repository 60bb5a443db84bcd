// Unbounded recursion: RangeError: Maximum call stack size exceeded, uncaught, with the
// source line and the repeated frames.
console.log(`${new Date().toISOString()} info: resolving dependencies`);
function resolve(n) { return resolve(n + 1) + 1; }
resolve(0);
