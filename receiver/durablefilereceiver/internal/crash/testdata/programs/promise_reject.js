// An app that logs JSON lines; a promise is rejected with an Error and nobody handles it.
console.log(JSON.stringify({ time: "2026-11-25T10:00:00.000Z", level: "info", msg: "server listening", port: 8080 }));
console.log(JSON.stringify({ time: "2026-11-25T10:00:01.000Z", level: "info", msg: "refreshing token" }));

function refreshToken() {
  return Promise.reject(new Error("token endpoint returned 503"));
}

refreshToken().then(() => console.log("refreshed"));
