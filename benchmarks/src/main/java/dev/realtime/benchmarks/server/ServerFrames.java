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

import java.nio.charset.StandardCharsets;

import dev.realtime.benchmarks.websocket.WebSocketFrames;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the protocol messages the server sends, straight to WebSocket text frames.
 */
final class ServerFrames {

	static final int HEARTBEAT = 0;

	static final int ACK = 1;

	static final int CONNECT = 3;

	static final int CONNECTED = 4;

	static final int DISCONNECT = 5;

	static final int CLOSE = 7;

	static final int CLOSED = 8;

	static final int ATTACH = 10;

	static final int ATTACHED = 11;

	static final int DETACH = 12;

	static final int DETACHED = 13;

	static final int MESSAGE = 15;

	/** The RESUMED flag. */
	static final long RESUMED = 4;

	/** The PUBLISH and SUBSCRIBE channel modes. */
	static final long PUBLISH_AND_SUBSCRIBE = (1L << 17) | (1L << 18);

	static final byte[] HEARTBEAT_FRAME = WebSocketFrames.text("{\"action\":0}");

	static final byte[] CLOSED_FRAME = WebSocketFrames.text("{\"action\":8}");

	private ServerFrames() {
	}

	static byte[] connected(String connectionId, String connectionKey, long maxIdleInterval, long connectionStateTtl,
			boolean resumed) {
		return WebSocketFrames.text("{\"action\":4,\"connectionId\":" + quote(connectionId)
				+ ",\"connectionDetails\":{\"connectionKey\":" + quote(connectionKey) + ",\"maxIdleInterval\":"
				+ maxIdleInterval + ",\"connectionStateTtl\":" + connectionStateTtl
				+ ",\"maxMessageSize\":65536,\"maxFrameSize\":524288,\"serverId\":\"push-server\"}"
				+ (resumed ? ",\"flags\":" + RESUMED : "") + "}");
	}

	static byte[] attached(String channel, String channelSerial, long flags) {
		return WebSocketFrames.text("{\"action\":11,\"channel\":" + quote(channel) + ",\"channelSerial\":"
				+ quote(channelSerial) + ",\"flags\":" + flags + "}");
	}

	static byte[] detached(String channel) {
		return WebSocketFrames.text("{\"action\":13,\"channel\":" + quote(channel) + "}");
	}

	static byte[] heartbeat(@Nullable String id) {
		return (id != null) ? WebSocketFrames.text("{\"action\":0,\"id\":" + quote(id) + "}") : HEARTBEAT_FRAME;
	}

	static byte[] ack(long msgSerial, int count) {
		return WebSocketFrames.text("{\"action\":1,\"msgSerial\":" + msgSerial + ",\"count\":" + count + "}");
	}

	/**
	 * Encode a MESSAGE that delivers what a client published, its messages copied as they
	 * came.
	 * @param connectionId the publisher's connection
	 * @param msgSerial the publisher's serial, for the message ids
	 * @param channel the channel
	 * @param channelSerial the channel serial of this delivery
	 * @param messages the buffer holding the published {@code messages} array
	 * @param offset where the array starts
	 * @param length its length in bytes
	 * @return the frame
	 */
	static byte[] delivery(String connectionId, long msgSerial, String channel, String channelSerial, byte[] messages,
			int offset, int length) {
		byte[] head = ("{\"action\":15,\"id\":" + quote(connectionId + ":" + msgSerial) + ",\"connectionId\":"
				+ quote(connectionId) + ",\"channel\":" + quote(channel) + ",\"channelSerial\":" + quote(channelSerial)
				+ ",\"timestamp\":" + System.currentTimeMillis() + ",\"messages\":")
			.getBytes(StandardCharsets.UTF_8);
		int payloadLength = head.length + length + 1;
		byte[] frame = new byte[WebSocketFrames.headerLength(payloadLength) + payloadLength];
		int position = WebSocketFrames.writeHeader(frame, 0, WebSocketFrames.TEXT, payloadLength);
		System.arraycopy(head, 0, frame, position, head.length);
		System.arraycopy(messages, offset, frame, position + head.length, length);
		frame[frame.length - 1] = '}';
		return frame;
	}

	static String quote(String value) {
		StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
