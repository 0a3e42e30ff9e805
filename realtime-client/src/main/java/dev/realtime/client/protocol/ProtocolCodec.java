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

package dev.realtime.client.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@link ProtocolMessage ProtocolMessages} in the JSON format of the
 * protocol. Unknown fields are ignored; a frame that is not a JSON object with an
 * {@code action} is rejected with a {@link ProtocolException}. Thread-safe.
 *
 * @author Realtime team
 */
public class ProtocolCodec {

	private final JsonMapper jsonMapper;

	/**
	 * Create a codec with its own {@link JsonMapper}.
	 */
	public ProtocolCodec() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Create a codec that derives its mapper from the given one.
	 * @param jsonMapper the mapper to start from
	 */
	public ProtocolCodec(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper.rebuild()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.build();
	}

	/**
	 * Write a message as JSON.
	 * @param message the message
	 * @return the JSON text
	 */
	public String encode(ProtocolMessage message) {
		return this.jsonMapper.writeValueAsString(message);
	}

	/**
	 * Read a message from JSON text.
	 * @param json the JSON text
	 * @return the message
	 * @throws ProtocolException if the text is not a protocol message
	 */
	public ProtocolMessage decode(String json) {
		try {
			ProtocolMessage message = this.jsonMapper.readValue(json, ProtocolMessage.class);
			if (message == null || message.getActionCode() == null) {
				throw new ProtocolException("Frame has no action: " + abbreviate(json), null);
			}
			return message;
		}
		catch (JacksonException ex) {
			throw new ProtocolException("Malformed frame: " + abbreviate(json), ex);
		}
	}

	/**
	 * Read a message from JSON text carried in a binary frame, as some clients send it.
	 * @param payload the UTF-8 JSON bytes
	 * @return the message
	 * @throws ProtocolException if the bytes are not a protocol message
	 */
	public ProtocolMessage decode(ByteBuffer payload) {
		return decode(StandardCharsets.UTF_8.decode(payload.duplicate()).toString());
	}

	/**
	 * Encode a payload for the wire: a {@code String} as it is, a {@code byte[]} as
	 * base64, anything else as JSON text with encoding {@code json}.
	 * @param id the message id
	 * @param name the event name
	 * @param data the payload
	 * @return the wire message
	 */
	public WireMessage encodeMessage(@Nullable String id, @Nullable String name, @Nullable Object data) {
		if (data == null || data instanceof String) {
			return new WireMessage(id, name, data, null, null, null, null);
		}
		if (data instanceof byte[] bytes) {
			return new WireMessage(id, name, Base64.getEncoder().encodeToString(bytes), "base64", null, null, null);
		}
		try {
			return new WireMessage(id, name, this.jsonMapper.writeValueAsString(data), "json", null, null, null);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Cannot write " + data.getClass().getName() + " as JSON", ex);
		}
	}

	/**
	 * Encode the data of a presence message for the wire, as
	 * {@link #encodeMessage(String, String, Object)} encodes a message's.
	 * @param action the presence action code
	 * @param data the member's data
	 * @return the wire presence message, with neither id nor client id
	 */
	public WirePresenceMessage encodePresence(int action, @Nullable Object data) {
		WireMessage encoded = encodeMessage(null, null, data);
		return new WirePresenceMessage(action, null, null, null, encoded.data(), encoded.encoding(), null);
	}

	/**
	 * Decode the payload of a wire message, undoing its encodings ({@code json},
	 * {@code base64}, {@code utf-8}) from last to first. An encoding this codec does not
	 * know stops the decoding and leaves the payload as it is then.
	 * @param message the wire message
	 * @return the payload: a {@code String}, a {@code byte[]}, a JSON value, or
	 * {@code null}
	 */
	public @Nullable Object decodeData(WireMessage message) {
		return decodeData(message.data(), message.encoding());
	}

	/**
	 * Decode the data of a wire presence message, as {@link #decodeData(WireMessage)}
	 * decodes a message's.
	 * @param message the wire presence message
	 * @return the data
	 */
	public @Nullable Object decodeData(WirePresenceMessage message) {
		return decodeData(message.data(), message.encoding());
	}

	private @Nullable Object decodeData(@Nullable Object encoded, @Nullable String encoding) {
		Object data = encoded;
		if (data == null || encoding == null || encoding.isEmpty()) {
			return data;
		}
		String[] steps = encoding.split("/");
		for (int i = steps.length - 1; i >= 0; i--) {
			String step = steps[i];
			if ("base64".equals(step) && data instanceof String text) {
				data = Base64.getDecoder().decode(text);
			}
			else if ("utf-8".equals(step) && data instanceof byte[] bytes) {
				data = new String(bytes, StandardCharsets.UTF_8);
			}
			else if ("json".equals(step) && data instanceof String text) {
				data = this.jsonMapper.readValue(text, Object.class);
			}
			else {
				break;
			}
		}
		return data;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200) + "...";
	}

}
