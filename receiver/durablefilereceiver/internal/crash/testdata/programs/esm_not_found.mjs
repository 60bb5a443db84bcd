// An ES module that imports a package that is not installed: Node fails while resolving,
// before any code runs, with its own stack and the error's properties.
console.log(`${new Date().toISOString()} info: starting`);
await import('left-pad-not-installed');
