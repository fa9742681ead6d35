// <mb-room ws-url room-id user-id token>: the room WebSocket client.
//
// Connects when it is in the document and has ws-url, room-id and user-id (or when connect() is
// called), sends `join`, and dispatches one DOM CustomEvent per server frame: the event name is the
// frame's `action` ("joined", "user_joined", "chat", "call_accepted", "error", …) and `detail` is the
// frame. It also dispatches "message" for every frame and "connection" ({state, attempt, delay}) when
// its state changes. When the socket drops it reconnects with capped exponential backoff and joins
// again; it stops for good after leave()/disconnect() or a refusal that retrying cannot fix.

const FATAL_CODES = new Set(['unauthorized', 'forbidden', 'not_found', 'session_ended', 'replaced',
  'already_joined', 'room_full', 'bad_request']);

export class MbRoom extends HTMLElement {
  static get observedAttributes() { return ['ws-url', 'room-id', 'user-id', 'token']; }

  constructor() {
    super();
    /** 'idle' | 'connecting' | 'open' | 'joined' | 'reconnecting' | 'refused' | 'closed' */
    this.state = 'idle';
    this.users = [];
    this.lastError = null;
    this.attempt = 0;
    this.minBackoffMs = 500;
    this.maxBackoffMs = 8000;
    this.pingIntervalMs = 15000;
    this._ws = null;
    this._stopped = false;
    this._retryTimer = null;
    this._pingTimer = null;
    this._autoTimer = null;
  }

  get wsUrl() { return this.getAttribute('ws-url') || defaultWsUrl(); }
  get roomId() { return this.getAttribute('room-id') || ''; }
  get userId() { return this.getAttribute('user-id') || ''; }
  get token() { return this.getAttribute('token') || ''; }
  get joined() { return this.state === 'joined'; }

  connectedCallback() { this._scheduleAutoConnect(); }
  disconnectedCallback() { this.disconnect(); }
  attributeChangedCallback() { this._scheduleAutoConnect(); }

  _scheduleAutoConnect() {
    if (this.hasAttribute('manual') || !this.isConnected) return;
    if (this.state !== 'idle' || !this.roomId || !this.userId) return;
    clearTimeout(this._autoTimer);
    // Let the page finish setting attributes and adding listeners before the socket opens.
    this._autoTimer = setTimeout(() => { if (this.state === 'idle') this.connect(); }, 0);
  }

  /** Opens the socket (if not open) and joins. */
  connect() {
    if (!this.roomId || !this.userId) throw new Error('mb-room needs room-id and user-id before connect()');
    this._stopped = false;
    clearTimeout(this._retryTimer);
    if (this._ws && this._ws.readyState <= WebSocket.OPEN) return;
    this._setState(this.attempt > 0 ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.wsUrl);
    } catch (e) {
      this.lastError = { code: 'ws_error', message: e.message };
      this._scheduleRetry();
      return;
    }
    this._ws = ws;
    ws.onopen = () => {
      if (ws !== this._ws) return;
      this._setState('open');
      this._raw({ action: 'join', room_id: this.roomId, user_id: this.userId, token: this.token });
      clearInterval(this._pingTimer);
      this._pingTimer = setInterval(() => this._raw({ action: 'ping' }), this.pingIntervalMs);
    };
    ws.onmessage = (e) => {
      if (ws !== this._ws) return;
      let frame;
      try { frame = JSON.parse(e.data); } catch { return; }
      if (!frame || typeof frame.action !== 'string') return;
      this._onFrame(frame);
    };
    ws.onclose = (e) => {
      if (ws !== this._ws) return;
      clearInterval(this._pingTimer);
      this._ws = null;
      if (this._stopped || this.state === 'refused') {
        if (this.state !== 'refused') this._setState('closed');
        return;
      }
      this.lastError = this.lastError || { code: 'ws_closed', message: `socket closed (${e.code})` };
      this._scheduleRetry();
    };
    ws.onerror = () => { /* onclose follows and handles the retry */ };
  }

  _onFrame(frame) {
    switch (frame.action) {
      case 'joined':
        this.attempt = 0;
        this.lastError = null;
        this.users = Array.isArray(frame.users) ? frame.users.slice() : [];
        this._setState('joined');
        break;
      case 'user_joined':
        if (frame.user) {
          this.users = this.users.filter((u) => u.user_id !== frame.user.user_id);
          this.users.push(frame.user);
        }
        break;
      case 'user_left':
        this.users = this.users.filter((u) => u.user_id !== frame.user_id);
        break;
      case 'call_transferred':
        // The old agent leaves the room server-side; keep the list honest for pages reading it.
        break;
      case 'error':
        this.lastError = { code: frame.code, message: frame.message };
        if (this.state !== 'joined' && FATAL_CODES.has(frame.code)) this._setState('refused');
        if (frame.code === 'replaced') this._setState('refused');
        break;
      default:
        break;
    }
    this.dispatchEvent(new CustomEvent('message', { detail: frame }));
    this.dispatchEvent(new CustomEvent(frame.action, { detail: frame }));
  }

  _scheduleRetry() {
    if (this._stopped) return;
    const delay = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.attempt);
    this.attempt++;
    this._setState('reconnecting', { delay });
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => this.connect(), delay);
  }

  _setState(state, extra = {}) {
    if (this.state === state && !extra.delay) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('connection', { detail: { state, attempt: this.attempt, ...extra } }));
  }

  _raw(obj) {
    if (!this._ws || this._ws.readyState !== WebSocket.OPEN) return false;
    this._ws.send(JSON.stringify(obj));
    return true;
  }

  /** Sends `{action, room_id, user_id, ...fields}`; returns false if the socket is not open. */
  send(action, fields = {}) {
    return this._raw({ action, room_id: this.roomId, user_id: this.userId, ...fields });
  }

  /** Sends a chat line (the server relays it to the other party only). */
  chat(text) { return this.send('chat', { text }); }

  /** Leaves the room and closes the socket without reconnecting. */
  leave() {
    this.send('leave');
    this.disconnect();
  }

  /** Closes the socket without reconnecting. */
  disconnect() {
    this._stopped = true;
    clearTimeout(this._retryTimer);
    clearTimeout(this._autoTimer);
    clearInterval(this._pingTimer);
    const ws = this._ws;
    this._ws = null;
    if (ws) { try { ws.close(1000, 'bye'); } catch { /* ignore */ } }
    if (this.state !== 'refused') this._setState('closed');
  }
}

/** ws(s)://<this host>/room?type=customer_service */
export function defaultWsUrl(type = 'customer_service') {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/room?type=${encodeURIComponent(type)}`;
}

if (!customElements.get('mb-room')) customElements.define('mb-room', MbRoom);
