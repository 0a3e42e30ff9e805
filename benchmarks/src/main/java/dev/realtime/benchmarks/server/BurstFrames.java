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

/**
 * A chunk of pre-encoded MESSAGE frames for one burst: every frame is the same template,
 * and only its serial (ten digits, in the protocol message id and the channel serial) is
 * patched in before the chunk is written. Each frame carries {@code perFrame} messages.
 */
final class BurstFrames {

	/** How many digits a serial has; serials start at 1. */
	static final int SERIAL_DIGITS = 10;

	private static final String SERIAL_PLACEHOLDER = "#".repeat(SERIAL_DIGITS);

	private static final int CHUNK_BYTES = 64 * 1024;

	private final byte[] chunk;

	private final int frameLength;

	private final int framesPerChunk;

	/** Where the digits of a serial start in a frame. */
	private final int[] serialOffsets;

	/**
	 * Encode the frames of a burst.
	 * @param connectionId the connection id of the (pretend) publisher
	 * @param channel the channel
	 * @param perFrame how many messages each frame carries
	 * @param payloadSize how many characters of data each message carries
	 */
	BurstFrames(String connectionId, String channel, int perFrame, int payloadSize) {
		StringBuilder data = new StringBuilder(payloadSize);
		for (int i = 0; i < payloadSize; i++) {
			data.append((char) ('a' + (i % 26)));
		}
		StringBuilder json = new StringBuilder("{\"action\":15,\"id\":")
			.append(ServerFrames.quote(connectionId + ":" + SERIAL_PLACEHOLDER))
			.append(",\"connectionId\":")
			.append(ServerFrames.quote(connectionId))
			.append(",\"channel\":")
			.append(ServerFrames.quote(channel))
			.append(",\"channelSerial\":")
			.append(ServerFrames.quote(channel + ":" + SERIAL_PLACEHOLDER))
			.append(",\"timestamp\":")
			.append(System.currentTimeMillis())
			.append(",\"messages\":[");
		for (int i = 0; i < perFrame; i++) {
			json.append((i > 0) ? "," : "").append("{\"name\":\"tick\",\"data\":\"").append(data).append("\"}");
		}
		json.append("]}");
		byte[] payload = json.toString().getBytes(StandardCharsets.UTF_8);
		byte[] frame = WebSocketFrames.frame(WebSocketFrames.TEXT, payload);
		this.frameLength = frame.length;
		this.serialOffsets = placeholders(frame);
		this.framesPerChunk = Math.max(1, CHUNK_BYTES / this.frameLength);
		this.chunk = new byte[this.framesPerChunk * this.frameLength];
		for (int i = 0; i < this.framesPerChunk; i++) {
			System.arraycopy(frame, 0, this.chunk, i * this.frameLength, this.frameLength);
		}
	}

	private static int[] placeholders(byte[] frame) {
		int[] offsets = new int[2];
		int found = 0;
		for (int i = 0; i + SERIAL_DIGITS <= frame.length && found < offsets.length; i++) {
			if (frame[i] == '#' && frame[i + SERIAL_DIGITS - 1] == '#') {
				offsets[found++] = i;
				i += SERIAL_DIGITS - 1;
			}
		}
		if (found != offsets.length) {
			throw new IllegalStateException("Serial placeholders not found in the frame template");
		}
		return offsets;
	}

	/**
	 * Return how many frames one chunk holds.
	 * @return the frames per chunk
	 */
	int framesPerChunk() {
		return this.framesPerChunk;
	}

	/**
	 * Return the encoded length of one frame, WebSocket header included.
	 * @return the length in bytes
	 */
	int frameLength() {
		return this.frameLength;
	}

	/**
	 * Patch the serials of the first frames of the chunk.
	 * @param firstSerial the serial of the first frame
	 * @param frames how many frames, at most {@link #framesPerChunk()}
	 * @return the chunk; its first {@code frames * frameLength()} bytes are the frames
	 */
	byte[] fill(long firstSerial, int frames) {
		for (int i = 0; i < frames; i++) {
			int frameOffset = i * this.frameLength;
			for (int offset : this.serialOffsets) {
				writeDigits(firstSerial + i, frameOffset + offset);
			}
		}
		return this.chunk;
	}

	private void writeDigits(long serial, int offset) {
		long value = serial;
		for (int i = SERIAL_DIGITS - 1; i >= 0; i--) {
			this.chunk[offset + i] = (byte) ('0' + (value % 10));
			value /= 10;
		}
	}

	/**
	 * Read the serial back from a channel serial this burst wrote.
	 * @param channelSerial the channel serial
	 * @return the serial, or {@code -1} if it is not one of ours
	 */
	static long serialOf(String channelSerial) {
		int separator = channelSerial.lastIndexOf(':');
		if (separator < 0 || channelSerial.length() - separator - 1 != SERIAL_DIGITS) {
			return -1;
		}
		try {
			return Long.parseLong(channelSerial.substring(separator + 1));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
