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

package dev.realtime.benchmarks.contenders;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.realtime.benchmarks.websocket.FrameReader;
import dev.realtime.benchmarks.websocket.WebSocketFrames;
import org.jspecify.annotations.Nullable;

/**
 * Not a real client: a blocking socket that reads frames and counts the messages in them
 * by scanning bytes, without decoding JSON. It shows what the push server and the
 * loopback can carry, so that the other figures can be read knowing the server was not
 * the bottleneck. Inbound benchmarks only.
 */
public final class WireContender implements Contender {

	private static final Pattern CONNECTION_ID = Pattern.compile("\"connectionId\":\"([^\"]+)\"");

	private static final byte[] MESSAGE_PREFIX = "{\"action\":15,".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CONNECTED_PREFIX = "{\"action\":4,".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ATTACHED_PREFIX = "{\"action\":11,".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] MESSAGE_START = "{\"name\":".getBytes(StandardCharsets.US_ASCII);

	private final String host;

	private final int port;

	private final ConnectionEvents events = new ConnectionEvents();

	private @Nullable Socket socket;

	private @Nullable OutputStream output;

	private volatile @Nullable String connectionId;

	private volatile @Nullable CompletableFuture<Void> attaching;

	private volatile @Nullable MessageListener listener;

	/**
	 * Create a contender for the server at the given address.
	 * @param host the host
	 * @param port the port
	 */
	public WireContender(String host, int port) {
		this.host = host;
		this.port = port;
	}

	@Override
	public String name() {
		return "wire";
	}

	@Override
	public void connect(boolean echo, Duration timeout) throws Exception {
		Socket socket = new Socket(this.host, this.port);
		socket.setTcpNoDelay(true);
		this.socket = socket;
		OutputStream output = socket.getOutputStream();
		this.output = output;
		byte[] key = new byte[16];
		ThreadLocalRandom.current().nextBytes(key);
		output.write(("GET /?v=6&format=json&accessToken=bench&echo=" + echo + " HTTP/1.1\r\nHost: " + this.host + ":"
				+ this.port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		FrameReader reader = new FrameReader(socket.getInputStream(), 64 * 1024);
		String head = reader.readHead();
		if (head == null || !head.startsWith("HTTP/1.1 101")) {
			throw new IOException("Handshake refused: " + head);
		}
		Thread thread = new Thread(() -> read(reader), "wire-reader");
		thread.setDaemon(true);
		thread.start();
		if (this.events.awaitConnected(0, timeout) < 0) {
			throw new IllegalStateException("Not connected within " + timeout);
		}
	}

	private void read(FrameReader reader) {
		try {
			while (reader.next()) {
				if (reader.opcode() == WebSocketFrames.TEXT) {
					onFrame(reader.payload(), reader.payloadLength());
				}
			}
		}
		catch (IOException ex) {
			// Closed
		}
		this.events.disconnected();
	}

	private void onFrame(byte[] payload, int length) {
		if (startsWith(payload, length, MESSAGE_PREFIX)) {
			MessageListener listener = this.listener;
			if (listener != null) {
				int messages = count(payload, length, MESSAGE_START);
				for (int i = 0; i < messages; i++) {
					listener.onMessage("", "");
				}
			}
		}
		else if (startsWith(payload, length, CONNECTED_PREFIX)) {
			Matcher matcher = CONNECTION_ID.matcher(new String(payload, 0, length, StandardCharsets.UTF_8));
			this.connectionId = matcher.find() ? matcher.group(1) : null;
			this.events.connected(this.connectionId);
		}
		else if (startsWith(payload, length, ATTACHED_PREFIX)) {
			CompletableFuture<Void> attaching = this.attaching;
			if (attaching != null) {
				attaching.complete(null);
			}
		}
	}

	private static boolean startsWith(byte[] payload, int length, byte[] prefix) {
		if (length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (payload[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static int count(byte[] payload, int length, byte[] pattern) {
		int count = 0;
		byte first = pattern[0];
		outer: for (int i = 0; i <= length - pattern.length; i++) {
			if (payload[i] != first) {
				continue;
			}
			for (int j = 1; j < pattern.length; j++) {
				if (payload[i + j] != pattern[j]) {
					continue outer;
				}
			}
			count++;
			i += pattern.length - 1;
		}
		return count;
	}

	@Override
	public String connectionId() {
		String id = this.connectionId;
		if (id == null) {
			throw new IllegalStateException("Not connected");
		}
		return id;
	}

	@Override
	public void subscribe(String channel, MessageListener listener, Duration timeout) throws Exception {
		this.listener = listener;
		attach(channel, timeout);
	}

	@Override
	public void attach(String channel, Duration timeout) throws Exception {
		CompletableFuture<Void> attaching = new CompletableFuture<>();
		this.attaching = attaching;
		send("{\"action\":10,\"channel\":\"" + channel + "\"}");
		attaching.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private synchronized void send(String json) throws IOException {
		OutputStream output = this.output;
		if (output == null) {
			throw new IllegalStateException("Not connected");
		}
		output.write(WebSocketFrames.maskedFrame(WebSocketFrames.TEXT, json.getBytes(StandardCharsets.UTF_8)));
		output.flush();
	}

	@Override
	public void publish(String channel, String name, String data, PublishCallback callback) {
		throw new UnsupportedOperationException("The wire reference only counts inbound messages");
	}

	@Override
	public ConnectionEvents events() {
		return this.events;
	}

	@Override
	public void close() {
		Socket socket = this.socket;
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Closing anyway
			}
		}
	}

}
