// Entry of web/index.html: the lobby without ?session=, the call page with it.
const params = new URLSearchParams(location.search);
if (params.get('session')) {
  import('./call.js').then((m) => m.startCall(params));
} else {
  import('./lobby.js').then((m) => m.startLobby(params));
}
