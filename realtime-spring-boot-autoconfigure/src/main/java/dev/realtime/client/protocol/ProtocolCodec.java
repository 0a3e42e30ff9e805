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

	private static String abbreviate(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200) + "...";
	}

}
