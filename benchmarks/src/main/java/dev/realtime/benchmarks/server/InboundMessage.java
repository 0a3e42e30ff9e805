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

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The fields of a client's protocol message that the server acts on, read with a
 * streaming parser: the {@code messages} array is skipped and only located, so that an
 * echo can copy it without decoding it.
 *
 * @param action the action, {@code -1} if absent
 * @param id the message id
 * @param msgSerial the serial, {@code -1} if absent
 * @param channel the channel
 * @param channelSerial the channel serial
 * @param flags the flags, {@code 0} if absent
 * @param messagesOffset where the {@code messages} array starts, {@code -1} if absent
 * @param messagesLength the length of the array in bytes
 */
record InboundMessage(int action, @Nullable String id, long msgSerial, @Nullable String channel,
		@Nullable String channelSerial, long flags, int messagesOffset, int messagesLength) {

	private static final JsonFactory factory = new JsonFactory();

	/**
	 * Read a protocol message.
	 * @param json the buffer, the message starting at offset 0
	 * @param length the length of the message
	 * @return the message
	 * @throws tools.jackson.core.JacksonException if it is not JSON
	 */
	static InboundMessage parse(byte[] json, int length) {
		int action = -1;
		String id = null;
		long msgSerial = -1;
		String channel = null;
		String channelSerial = null;
		long flags = 0;
		int messagesOffset = -1;
		int messagesLength = 0;
		try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), json, 0, length)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return new InboundMessage(-1, null, -1, null, null, 0, -1, 0);
			}
			String name;
			while ((name = parser.nextName()) != null) {
				JsonToken token = parser.nextToken();
				if (token == JsonToken.VALUE_NULL) {
					continue;
				}
				switch (name) {
					case "action" -> action = parser.getIntValue();
					case "id" -> id = parser.getString();
					case "msgSerial" -> msgSerial = parser.getLongValue();
					case "channel" -> channel = parser.getString();
					case "channelSerial" -> channelSerial = parser.getString();
					case "flags" -> flags = parser.getLongValue();
					case "messages" -> {
						if (token == JsonToken.START_ARRAY) {
							messagesOffset = (int) parser.currentTokenLocation().getByteOffset();
							parser.skipChildren();
							messagesLength = (int) parser.currentLocation().getByteOffset() - messagesOffset;
						}
					}
					default -> parser.skipChildren();
				}
			}
		}
		return new InboundMessage(action, id, msgSerial, channel, channelSerial, flags, messagesOffset, messagesLength);
	}

}
