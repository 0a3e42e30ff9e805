/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.benchmarks.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import dev.realtime.benchmarks.websocket.FrameReader;
import dev.realtime.benchmarks.websocket.WebSocketFrames;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;

/**
 * One accepted socket, served by one thread: either a WebSocket that speaks the protocol,
 * or an HTTP control command. Replies are buffered and flushed when the reader has no
 * more input at hand, so that a run of publishes is acknowledged in few writes.
 */
final class ServerConnection implements Runnable {

	/**
	 * The read buffer of a new socket; it doubles, up to the largest, as reads fill it.
	 */
	private static final int INITIAL_READ_BUFFER_SIZE = 4 * 1024;

	private static final int MAX_READ_BUFFER_SIZE = 64 * 1024;

	/** A close frame with status 1001, going away. */
	private static final byte[] GOING_AWAY = WebSocketFrames.frame(WebSocketFrames.CLOSE,
			new byte[] { 0x03, (byte) 0xE9 });

	private final PushServer server;

	private final Socket socket;

	private final Outbound outbound;

	private final FrameReader reader;

	private volatile @Nullable Session session;

	private volatile boolean heartbeats = true;

	private volatile boolean frozen;

	/** Guarded by this. */
	private boolean closed;

	ServerConnection(PushServer server, Socket socket) throws IOException {
		this.server = server;
		this.socket = socket;
		this.socket.setTcpNoDelay(true);
		this.outbound = new Outbound(socket.getOutputStream());
		this.reader = new FrameReader(socket.getInputStream(), INITIAL_READ_BUFFER_SIZE, MAX_READ_BUFFER_SIZE);
	}

	Outbound outbound() {
		return this.outbound;
	}

	@Nullable Session session() {
		return this.session;
	}

	boolean heartbeats() {
		return this.heartbeats;
	}

	@Override
	public void run() {
		try {
			String head = this.reader.readHead();
			if (head == null) {
				return;
			}
			HttpRequest request = HttpRequest.parse(head);
			if (request.isWebSocketUpgrade()) {
				serveWebSocket(request);
			}
			else {
				serveControl(request);
			}
		}
		catch (IOException | RuntimeException ex) {
			if (!(ex instanceof SocketException) && !this.server.isClosed()) {
				System.err.println("Connection failed: " + ex);
			}
		}
		finally {
			closeQuietly();
			Session session = this.session;
			if (session != null) {
				session.ended(this);
			}
			this.server.ended(this);
		}
	}

	private void serveWebSocket(HttpRequest request) throws IOException {
		String key = request.header("sec-websocket-key");
		if (key == null) {
			respond(400, "Bad Request", "Sec-WebSocket-Key missing");
			return;
		}
		OutputStream output = this.socket.getOutputStream();
		output.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + WebSocketFrames.acceptKey(key) + "\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		this.heartbeats = !"false".equals(request.query().get("heartbeats"));
		PushServer.Opened opened = this.server.open(request.query(), this);
		Session session = opened.session();
		this.session = session;
		this.outbound.send(ServerFrames.connected(session.connectionId(), session.connectionKey(),
				this.server.maxIdleIntervalMillis(), this.server.connectionStateTtlMillis(), opened.resumed()));
		while (true) {
			if (!this.reader.hasBuffered()) {
				this.outbound.flush();
			}
			if (!this.reader.next()) {
				return;
			}
			if (this.frozen) {
				awaitClosed();
				return;
			}
			switch (this.reader.opcode()) {
				case WebSocketFrames.TEXT, WebSocketFrames.BINARY -> {
					if (!onMessage(session)) {
						return;
					}
				}
				case WebSocketFrames.CLOSE -> {
					this.outbound.send(WebSocketFrames.frame(WebSocketFrames.CLOSE,
							java.util.Arrays.copyOf(this.reader.payload(), Math.min(2, this.reader.payloadLength()))));
					return;
				}
				case WebSocketFrames.PING -> this.outbound.write(WebSocketFrames.frame(WebSocketFrames.PONG,
						java.util.Arrays.copyOf(this.reader.payload(), this.reader.payloadLength())));
				default -> {
				}
			}
		}
	}

	/**
	 * Act on a protocol message.
	 * @return whether to go on reading
	 */
	private boolean onMessage(Session session) throws IOException {
		byte[] payload = this.reader.payload();
		InboundMessage message;
		try {
			message = InboundMessage.parse(payload, this.reader.payloadLength());
		}
		catch (JacksonException ex) {
			System.err.println("Ignoring a malformed frame: " + ex.getOriginalMessage());
			return true;
		}
		String channel = message.channel();
		switch (message.action()) {
			case ServerFrames.HEARTBEAT -> this.outbound.write(ServerFrames.heartbeat(message.id()));
			case ServerFrames.MESSAGE -> {
				if (channel != null && message.messagesOffset() >= 0) {
					this.server.deliver(session, this, message, payload);
				}
				if (message.msgSerial() >= 0) {
					this.outbound.write(ServerFrames.ack(message.msgSerial(), 1));
				}
			}
			case ServerFrames.ATTACH -> {
				if (channel != null) {
					this.server.attach(session, channel);
					Burst burst = session.burst(channel);
					String serial = message.channelSerial();
					boolean resumed = burst != null && serial != null && BurstFrames.serialOf(serial) >= 0;
					long modes = (message.flags() != 0) ? message.flags() : ServerFrames.PUBLISH_AND_SUBSCRIBE;
					this.outbound.send(ServerFrames.attached(channel, resumed ? serial : channel + ":0000000000",
							modes | (resumed ? ServerFrames.RESUMED : 0)));
					if (burst != null) {
						burst.resume(this, serial);
					}
				}
			}
			case ServerFrames.DETACH -> {
				if (channel != null) {
					this.server.detach(session, channel);
					this.outbound.write(ServerFrames.detached(channel));
				}
			}
			case ServerFrames.CLOSE -> {
				this.server.forget(session);
				this.outbound.write(ServerFrames.CLOSED_FRAME);
				this.outbound.send(WebSocketFrames.frame(WebSocketFrames.CLOSE, new byte[] { 0x03, (byte) 0xE8 }));
				return false;
			}
			case ServerFrames.DISCONNECT -> {
				return false;
			}
			default -> {
			}
		}
		return true;
	}

	/**
	 * Drop the socket as a server that goes away would.
	 * @param mode {@code close} for a close frame (1001) then the socket closed,
	 * {@code fin} for the socket closed without a close frame, {@code rst} for a reset
	 */
	void drop(String mode) {
		try {
			switch (mode) {
				case "close" -> {
					try {
						this.outbound.send(GOING_AWAY);
					}
					finally {
						this.socket.close();
					}
				}
				case "fin" -> this.socket.close();
				case "rst" -> {
					this.socket.setSoLinger(true, 0);
					this.socket.close();
				}
				default -> throw new IllegalArgumentException("Unknown drop mode '" + mode + "'");
			}
		}
		catch (IOException ex) {
			closeQuietly();
		}
	}

	/**
	 * Freeze the link without closing it: send one last HEARTBEAT, so that the client
	 * last heard from the server now, then write nothing more and act on nothing more the
	 * client sends; the thread that reads stops at the next frame that arrives, until the
	 * socket is closed (when the client resumes the session elsewhere, or the server
	 * stops).
	 */
	void freeze() {
		try {
			this.outbound.send(ServerFrames.HEARTBEAT_FRAME);
		}
		catch (IOException ex) {
			closeQuietly();
			return;
		}
		this.frozen = true;
		this.outbound.freeze();
	}

	private synchronized void awaitClosed() {
		while (!this.closed) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	void closeQuietly() {
		synchronized (this) {
			this.closed = true;
			notifyAll();
		}
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// Closing anyway
		}
	}

	private void serveControl(HttpRequest request) throws IOException {
		try {
			respond(200, "OK", this.server.control(request.path(), request.query()));
		}
		catch (IllegalArgumentException ex) {
			respond(400, "Bad Request", String.valueOf(ex.getMessage()));
		}
	}

	private void respond(int status, String reason, String body) throws IOException {
		byte[] content = (body + "\n").getBytes(StandardCharsets.UTF_8);
		OutputStream output = this.socket.getOutputStream();
		output.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
				+ "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		output.write(content);
		output.flush();
	}

}
