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

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP head and then WebSocket frames from a stream, through a buffer of its own
 * so that it can tell whether more input is already at hand. A data message split over
 * continuation frames is assembled (without control frames between its fragments, which
 * no client here sends). Not thread-safe: one reader thread per stream.
 */
public final class FrameReader {

	private final InputStream input;

	private final int maxBufferSize;

	private byte[] buffer;

	private int position;

	private int limit;

	private byte[] payload;

	private int payloadLength;

	private int opcode;

	/**
	 * Create a reader with a buffer of the given size.
	 * @param input the stream
	 * @param bufferSize the buffer size
	 */
	public FrameReader(InputStream input, int bufferSize) {
		this(input, bufferSize, bufferSize);
	}

	/**
	 * Create a reader whose buffer starts small and doubles, up to the given size, each
	 * time a read fills it: an idle stream costs little, a busy one soon reads in large
	 * chunks.
	 * @param input the stream
	 * @param initialBufferSize the buffer size to start with
	 * @param maxBufferSize the largest buffer size
	 */
	public FrameReader(InputStream input, int initialBufferSize, int maxBufferSize) {
		this.input = input;
		this.maxBufferSize = Math.max(initialBufferSize, maxBufferSize);
		this.buffer = new byte[initialBufferSize];
		this.payload = new byte[Math.min(8 * 1024, Math.max(256, initialBufferSize / 4))];
	}

	/**
	 * Return whether input is buffered, so that reading the next frame may not block.
	 * @return whether input is buffered
	 */
	public boolean hasBuffered() {
		return this.position < this.limit;
	}

	/**
	 * Read an HTTP request or response head, up to and including the empty line.
	 * @return the head without the empty line, or {@code null} at end of stream
	 * @throws IOException on a read failure or a head over the buffer size
	 */
	public @Nullable String readHead() throws IOException {
		int start = this.position;
		while (true) {
			for (int i = Math.max(start, this.position - 3); i + 3 < this.limit; i++) {
				if (this.buffer[i] == '\r' && this.buffer[i + 1] == '\n' && this.buffer[i + 2] == '\r'
						&& this.buffer[i + 3] == '\n') {
					String head = new String(this.buffer, start, i - start, StandardCharsets.ISO_8859_1);
					this.position = i + 4;
					return head;
				}
			}
			if (start > 0) {
				compact(start);
				start = 0;
			}
			this.position = this.limit;
			if (this.limit == this.buffer.length && !grow()) {
				throw new ProtocolException("HTTP head larger than " + this.buffer.length + " bytes");
			}
			int read = this.input.read(this.buffer, this.limit, this.buffer.length - this.limit);
			if (read < 0) {
				return null;
			}
			this.limit += read;
		}
	}

	/**
	 * Read the next frame, or the next data message if it is fragmented.
	 * @return whether a frame was read, {@code false} at end of stream
	 * @throws IOException on a read failure or a malformed frame
	 */
	public boolean next() throws IOException {
		this.payloadLength = 0;
		boolean first = true;
		while (true) {
			if (!ensure(2)) {
				if (first && this.position == this.limit) {
					return false;
				}
				throw new EOFException("Stream ended inside a frame");
			}
			int b0 = this.buffer[this.position] & 0xFF;
			int b1 = this.buffer[this.position + 1] & 0xFF;
			boolean fin = (b0 & 0x80) != 0;
			int frameOpcode = b0 & 0x0F;
			boolean masked = (b1 & 0x80) != 0;
			int length7 = b1 & 0x7F;
			int headerLength = 2 + ((length7 == 126) ? 2 : (length7 == 127) ? 8 : 0) + (masked ? 4 : 0);
			require(headerLength);
			long length = length7;
			int offset = this.position + 2;
			if (length7 == 126) {
				length = ((this.buffer[offset] & 0xFF) << 8) | (this.buffer[offset + 1] & 0xFF);
				offset += 2;
			}
			else if (length7 == 127) {
				length = 0;
				for (int i = 0; i < 8; i++) {
					length = (length << 8) | (this.buffer[offset + i] & 0xFF);
				}
				offset += 8;
			}
			if (length > Integer.MAX_VALUE - 8 - this.payloadLength) {
				throw new ProtocolException("Frame too large: " + length + " bytes");
			}
			int maskOffset = offset;
			this.position += headerLength;
			boolean control = (frameOpcode & 0x08) != 0;
			if (control && !first) {
				throw new ProtocolException("Control frames between fragments are not supported");
			}
			int start = control ? 0 : this.payloadLength;
			readPayload(start, (int) length, masked, maskOffset);
			if (control) {
				this.opcode = frameOpcode;
				this.payloadLength = (int) length;
				return true;
			}
			if (first) {
				this.opcode = frameOpcode;
				first = false;
			}
			this.payloadLength = start + (int) length;
			if (fin) {
				return true;
			}
		}
	}

	/**
	 * Return the opcode of the frame read last: the opcode of the first fragment for a
	 * fragmented data message.
	 * @return the opcode
	 */
	public int opcode() {
		return this.opcode;
	}

	/**
	 * Return the buffer that holds the payload of the frame read last, valid until the
	 * next read.
	 * @return the payload buffer, from offset 0
	 */
	public byte[] payload() {
		return this.payload;
	}

	/**
	 * Return the payload length of the frame read last.
	 * @return the length
	 */
	public int payloadLength() {
		return this.payloadLength;
	}

	private void readPayload(int start, int length, boolean masked, int maskOffset) throws IOException {
		if (this.payload.length < start + length) {
			this.payload = Arrays.copyOf(this.payload, Math.max(start + length, this.payload.length * 2));
		}
		byte m0 = 0;
		byte m1 = 0;
		byte m2 = 0;
		byte m3 = 0;
		if (masked) {
			// The mask is in the buffer before the header was consumed: copy it first
			m0 = this.buffer[maskOffset];
			m1 = this.buffer[maskOffset + 1];
			m2 = this.buffer[maskOffset + 2];
			m3 = this.buffer[maskOffset + 3];
		}
		int copied = 0;
		while (copied < length) {
			if (this.position == this.limit && !fill()) {
				throw new EOFException("Stream ended inside a frame");
			}
			int chunk = Math.min(length - copied, this.limit - this.position);
			System.arraycopy(this.buffer, this.position, this.payload, start + copied, chunk);
			this.position += chunk;
			copied += chunk;
		}
		if (masked) {
			byte[] mask = { m0, m1, m2, m3 };
			for (int i = 0; i < length; i++) {
				this.payload[start + i] ^= mask[i & 3];
			}
		}
	}

	private void require(int count) throws IOException {
		if (!ensure(count)) {
			throw new EOFException("Stream ended inside a frame header");
		}
	}

	/**
	 * Make at least the given number of bytes available from the position, reading as
	 * needed.
	 */
	private boolean ensure(int count) throws IOException {
		while (this.limit - this.position < count) {
			if (this.position > 0) {
				compact(this.position);
			}
			int read = this.input.read(this.buffer, this.limit, this.buffer.length - this.limit);
			if (read < 0) {
				return false;
			}
			this.limit += read;
			if (this.limit == this.buffer.length) {
				grow();
			}
		}
		return true;
	}

	private boolean fill() throws IOException {
		this.position = 0;
		this.limit = 0;
		int read = this.input.read(this.buffer, 0, this.buffer.length);
		if (read < 0) {
			return false;
		}
		this.limit = read;
		if (this.limit == this.buffer.length) {
			grow();
		}
		return true;
	}

	/**
	 * Double the buffer, up to its largest size.
	 * @return whether it grew
	 */
	private boolean grow() {
		if (this.buffer.length >= this.maxBufferSize) {
			return false;
		}
		this.buffer = Arrays.copyOf(this.buffer, Math.min(this.maxBufferSize, this.buffer.length * 2));
		return true;
	}

	private void compact(int from) {
		System.arraycopy(this.buffer, from, this.buffer, 0, this.limit - from);
		this.limit -= from;
		this.position -= from;
	}

}
