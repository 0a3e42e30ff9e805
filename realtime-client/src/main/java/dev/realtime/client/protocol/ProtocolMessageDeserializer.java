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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.realtime.client.ErrorInfo;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads a {@link ProtocolMessage} and the {@link WireMessage WireMessages} it carries
 * straight from the parser's tokens, as the reader thread must for every frame: Jackson's
 * own deserializers for the protocol's records call each record's constructor through a
 * method handle spread anew per message, which cost more than parsing the frame.
 * <p>
 * It reads exactly what Jackson's bean and record deserializers would: unknown fields are
 * skipped, a value of the expected type is taken as it is, and any other value (a number
 * in a string, {@code null}, a wrong type) goes to Jackson's deserializer of the field's
 * type, which coerces it or fails as it always has. A failure carries the path of the
 * value (such as {@code messages[0].timestamp}) for {@link ProtocolCodec} to drop it;
 * text that is not JSON fails without a path, as it does there. The rare fields
 * ({@code connectionDetails}, {@code error}, {@code presence} and the like) are read by
 * Jackson's deserializers.
 *
 * @author Realtime team
 */
final class ProtocolMessageDeserializer extends StdDeserializer<ProtocolMessage> {

	private static final TypeReference<List<WirePresenceMessage>> PRESENCE = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {
	};

	private static final TypeReference<List<WireMessage>> MESSAGES = new TypeReference<>() {
	};

	/** Shared by every codec: the values that recur are the same whichever reads them. */
	private static final RecurringStrings recurring = new RecurringStrings();

	ProtocolMessageDeserializer() {
		super(ProtocolMessage.class);
	}

	@Override
	public ProtocolMessage deserialize(JsonParser parser, DeserializationContext context) {
		if (!parser.hasToken(JsonToken.START_OBJECT) && !parser.hasToken(JsonToken.PROPERTY_NAME)) {
			return (ProtocolMessage) context.handleUnexpectedToken(ProtocolMessage.class, parser);
		}
		ProtocolMessage message = new ProtocolMessage();
		String name = parser.hasToken(JsonToken.PROPERTY_NAME) ? parser.currentName() : parser.nextName();
		for (; name != null; name = parser.nextName()) {
			parser.nextToken();
			boolean known;
			try {
				known = readProperty(parser, context, message, name);
			}
			catch (JacksonException ex) {
				throw DatabindException.wrapWithPath(context, ex, new JacksonException.Reference(message, name));
			}
			if (!known) {
				parser.skipChildren();
			}
		}
		return message;
	}

	/**
	 * Read the value of the named property.
	 * @return whether the property is known: the value of an unknown one is left unread
	 */
	private static boolean readProperty(JsonParser parser, DeserializationContext context, ProtocolMessage message,
			String name) {
		switch (name) {
			case "action" -> message.setActionCode(readInteger(parser, context));
			case "id" -> message.setId(readString(parser, context));
			case "channel" -> message.setChannel(readRecurring(parser, context));
			case "channelSerial" -> message.setChannelSerial(readString(parser, context));
			case "connectionId" -> message.setConnectionId(readRecurring(parser, context));
			case "msgSerial" -> message.setMsgSerial(readLong(parser, context));
			case "timestamp" -> message.setTimestamp(readLong(parser, context));
			case "flags" -> message.setFlags(readLong(parser, context));
			case "count" -> message.setCount(readInteger(parser, context));
			case "messages" -> message.setMessages(readMessages(parser, context));
			case "presence" -> message.setPresence(read(parser, context, PRESENCE));
			case "connectionDetails" -> message.setConnectionDetails(read(parser, context, ConnectionDetails.class));
			case "error" -> message.setError(read(parser, context, ErrorInfo.class));
			case "auth" -> message.setAuth(read(parser, context, AuthDetails.class));
			case "params" -> message.setParams(read(parser, context, PARAMS));
			default -> {
				return false;
			}
		}
		return true;
	}

	private static @Nullable List<WireMessage> readMessages(JsonParser parser, DeserializationContext context) {
		if (!parser.hasToken(JsonToken.START_ARRAY)) {
			return read(parser, context, MESSAGES);
		}
		List<WireMessage> messages = new ArrayList<>();
		for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
			try {
				// A null entry is kept for the codec to drop and report, as a list's is
				messages.add((token != JsonToken.VALUE_NULL) ? readMessage(parser, context) : null);
			}
			catch (JacksonException ex) {
				throw DatabindException.wrapWithPath(context, ex,
						new JacksonException.Reference(messages, messages.size()));
			}
		}
		return messages;
	}

	private static WireMessage readMessage(JsonParser parser, DeserializationContext context) {
		if (!parser.hasToken(JsonToken.START_OBJECT)) {
			return read(parser, context, WireMessage.class);
		}
		String id = null;
		String name = null;
		Object data = null;
		String encoding = null;
		String clientId = null;
		String connectionId = null;
		Long timestamp = null;
		for (String property = parser.nextName(); property != null; property = parser.nextName()) {
			parser.nextToken();
			boolean known = true;
			try {
				switch (property) {
					case "id" -> id = readString(parser, context);
					case "name" -> name = readRecurring(parser, context);
					case "data" -> data = readData(parser, context);
					case "encoding" -> encoding = readRecurring(parser, context);
					case "clientId" -> clientId = readRecurring(parser, context);
					case "connectionId" -> connectionId = readRecurring(parser, context);
					case "timestamp" -> timestamp = readLong(parser, context);
					default -> known = false;
				}
			}
			catch (JacksonException ex) {
				throw DatabindException.wrapWithPath(context, ex,
						new JacksonException.Reference(WireMessage.class, property));
			}
			if (!known) {
				parser.skipChildren();
			}
		}
		return new WireMessage(id, name, data, encoding, clientId, connectionId, timestamp);
	}

	private static @Nullable String readString(JsonParser parser, DeserializationContext context) {
		return parser.hasToken(JsonToken.VALUE_STRING) ? parser.getString() : read(parser, context, String.class);
	}

	/**
	 * Read a string that recurs from frame to frame, such as a channel name, as the
	 * instance read before if it is the same.
	 */
	private static @Nullable String readRecurring(JsonParser parser, DeserializationContext context) {
		return parser.hasToken(JsonToken.VALUE_STRING) ? recurring.read(parser) : read(parser, context, String.class);
	}

	private static @Nullable Long readLong(JsonParser parser, DeserializationContext context) {
		if (parser.hasToken(JsonToken.VALUE_NUMBER_INT)
				&& parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
			return parser.getLongValue();
		}
		return read(parser, context, Long.class);
	}

	private static @Nullable Integer readInteger(JsonParser parser, DeserializationContext context) {
		if (parser.hasToken(JsonToken.VALUE_NUMBER_INT) && parser.getNumberType() == JsonParser.NumberType.INT) {
			return parser.getIntValue();
		}
		return read(parser, context, Integer.class);
	}

	private static @Nullable Object readData(JsonParser parser, DeserializationContext context) {
		return parser.hasToken(JsonToken.VALUE_STRING) ? parser.getString() : read(parser, context, Object.class);
	}

	private static <T> @Nullable T read(JsonParser parser, DeserializationContext context, Class<T> type) {
		return parser.hasToken(JsonToken.VALUE_NULL) ? null : context.readValue(parser, type);
	}

	private static <T> @Nullable T read(JsonParser parser, DeserializationContext context, TypeReference<T> type) {
		return parser.hasToken(JsonToken.VALUE_NULL) ? null : context.readValue(parser, type);
	}

}
