// A promise rejected with a string: Node reports it from its own internals.
console.log(JSON.stringify({ level: "info", msg: "refreshing token" }));
Promise.reject("token endpoint returned 503");
