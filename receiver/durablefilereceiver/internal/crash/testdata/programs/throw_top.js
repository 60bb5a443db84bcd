// A throw in top-level code: the source line Node prints starts at column 0.
console.log(JSON.stringify({ level: "info", msg: "starting" }));
const port = Number(process.env.PORT ?? "http");
if (Number.isNaN(port)) throw new TypeError("PORT must be a number");
