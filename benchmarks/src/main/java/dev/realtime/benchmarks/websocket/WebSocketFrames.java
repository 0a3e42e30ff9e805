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

package dev.realtime.benchmarks.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes WebSocket frames (RFC 6455): unmasked as a server sends them, masked as a
 * client must.
 */
public final class WebSocketFrames {

	/** Opcode of a continuation frame. */
	public static final int CONTINUATION = 0x0;

	/** Opcode of a text frame. */
	public static final int TEXT = 0x1;

	/** Opcode of a binary frame. */
	public static final int BINARY = 0x2;

	/** Opcode of a close frame. */
	public static final int CLOSE = 0x8;

	/** Opcode of a ping frame. */
	public static final int PING = 0x9;

	/** Opcode of a pong frame. */
	public static final int PONG = 0xA;

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private WebSocketFrames() {
	}

	/**
	 * Return the {@code Sec-WebSocket-Accept} value for a client's key.
	 * @param key the {@code Sec-WebSocket-Key} the client sent
	 * @return the value to answer with
	 */
	public static String acceptKey(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the length of the header of an unmasked frame with the given payload length.
	 * @param payloadLength the payload length
	 * @return the header length
	 */
	public static int headerLength(int payloadLength) {
		return (payloadLength < 126) ? 2 : (payloadLength <= 0xFFFF) ? 4 : 10;
	}

	/**
	 * Write the header of a final, unmasked frame.
	 * @param target where to write
	 * @param offset the offset to write at
	 * @param opcode the opcode
	 * @param payloadLength the payload length
	 * @return the offset after the header
	 */
	public static int writeHeader(byte[] target, int offset, int opcode, int payloadLength) {
		int position = offset;
		target[position++] = (byte) (0x80 | opcode);
		if (payloadLength < 126) {
			target[position++] = (byte) payloadLength;
		}
		else if (payloadLength <= 0xFFFF) {
			target[position++] = 126;
			target[position++] = (byte) (payloadLength >>> 8);
			target[position++] = (byte) payloadLength;
		}
		else {
			target[position++] = 127;
			for (int shift = 56; shift >= 0; shift -= 8) {
				target[position++] = (byte) ((long) payloadLength >>> shift);
			}
		}
		return position;
	}

	/**
	 * Encode a final, unmasked frame, as a server sends it.
	 * @param opcode the opcode
	 * @param payload the payload
	 * @return the frame
	 */
	public static byte[] frame(int opcode, byte[] payload) {
		byte[] frame = new byte[headerLength(payload.length) + payload.length];
		int offset = writeHeader(frame, 0, opcode, payload.length);
		System.arraycopy(payload, 0, frame, offset, payload.length);
		return frame;
	}

	/**
	 * Encode a final text frame, unmasked, as a server sends it.
	 * @param text the text
	 * @return the frame
	 */
	public static byte[] text(String text) {
		return frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Encode a final, masked frame, as a client must send it.
	 * @param opcode the opcode
	 * @param payload the payload
	 * @return the frame
	 */
	public static byte[] maskedFrame(int opcode, byte[] payload) {
		int headerLength = headerLength(payload.length);
		byte[] frame = new byte[headerLength + 4 + payload.length];
		writeHeader(frame, 0, opcode, payload.length);
		frame[1] |= (byte) 0x80;
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		System.arraycopy(mask, 0, frame, headerLength, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[headerLength + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
		}
		return frame;
	}

}
