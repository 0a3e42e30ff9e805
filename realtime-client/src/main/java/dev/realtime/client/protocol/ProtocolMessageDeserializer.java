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
 * <p>
 * Names are read through a {@link PropertyOrder}: where the frames of a server list their
 * properties in one order, the parser only checks that the name it expected comes next.
 *
 * @author Realtime team
 */
final class ProtocolMessageDeserializer extends StdDeserializer<ProtocolMessage> {

	private static final TypeReference<List<WirePresenceMessage>> PRESENCE_LIST = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, String>> PARAMS_MAP = new TypeReference<>() {
	};

	private static final TypeReference<List<WireMessage>> MESSAGES = new TypeReference<>() {
	};

	/** Shared by every codec: the values that recur are the same whichever reads them. */
	private static final RecurringStrings recurring = new RecurringStrings();

	/**
	 * Shared by every codec, as the frames of one server have their properties in one
	 * order.
	 */
	private static final PropertyOrder<FrameProperty> frameOrder = new PropertyOrder<>(FrameProperty.class,
			FrameProperty::json);

	private static final PropertyOrder<MessageProperty> messageOrder = new PropertyOrder<>(MessageProperty.class,
			MessageProperty::json);

	ProtocolMessageDeserializer() {
		super(ProtocolMessage.class);
	}

	@Override
	public ProtocolMessage deserialize(JsonParser parser, DeserializationContext context) {
		if (!parser.hasToken(JsonToken.START_OBJECT) && !parser.hasToken(JsonToken.PROPERTY_NAME)) {
			return (ProtocolMessage) context.handleUnexpectedToken(ProtocolMessage.class, parser);
		}
		ProtocolMessage message = new ProtocolMessage();
		boolean onName = parser.hasToken(JsonToken.PROPERTY_NAME);
		FrameProperty previous = null;
		for (boolean first = true;; first = false) {
			FrameProperty property = (first && onName) ? frameOrder.current(parser)
					: frameOrder.next(parser, previous, first);
			if (property == null && !parser.hasToken(JsonToken.PROPERTY_NAME)) {
				return message;
			}
			String name = parser.currentName();
			parser.nextToken();
			if (property == null) {
				parser.skipChildren();
			}
			else {
				try {
					readProperty(parser, context, message, property);
				}
				catch (JacksonException ex) {
					throw DatabindException.wrapWithPath(context, ex, new JacksonException.Reference(message, name));
				}
			}
			previous = property;
		}
	}

	/**
	 * Read the value of a property.
	 */
	private static void readProperty(JsonParser parser, DeserializationContext context, ProtocolMessage message,
			FrameProperty property) {
		switch (property) {
			case ACTION -> message.setActionCode(readInteger(parser, context));
			case ID -> message.setId(readString(parser, context));
			case CHANNEL -> message.setChannel(readRecurring(parser, context));
			case CHANNEL_SERIAL -> message.setChannelSerial(readString(parser, context));
			case CONNECTION_ID -> message.setConnectionId(readRecurring(parser, context));
			case MSG_SERIAL -> message.setMsgSerial(readLong(parser, context));
			case TIMESTAMP -> message.setTimestamp(readLong(parser, context));
			case FLAGS -> message.setFlags(readLong(parser, context));
			case COUNT -> message.setCount(readInteger(parser, context));
			case MESSAGES -> message.setMessages(readMessages(parser, context));
			case PRESENCE -> message.setPresence(read(parser, context, PRESENCE_LIST));
			case CONNECTION_DETAILS -> message.setConnectionDetails(read(parser, context, ConnectionDetails.class));
			case ERROR -> message.setError(read(parser, context, ErrorInfo.class));
			case AUTH -> message.setAuth(read(parser, context, AuthDetails.class));
			case PARAMS -> message.setParams(read(parser, context, PARAMS_MAP));
		}
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
		MessageProperty previous = null;
		for (boolean first = true;; first = false) {
			MessageProperty property = messageOrder.next(parser, previous, first);
			if (property == null && !parser.hasToken(JsonToken.PROPERTY_NAME)) {
				break;
			}
			String propertyName = parser.currentName();
			parser.nextToken();
			if (property == null) {
				parser.skipChildren();
			}
			else {
				try {
					switch (property) {
						case ID -> id = readString(parser, context);
						case NAME -> name = readRecurring(parser, context);
						case DATA -> data = readData(parser, context);
						case ENCODING -> encoding = readRecurring(parser, context);
						case CLIENT_ID -> clientId = readRecurring(parser, context);
						case CONNECTION_ID -> connectionId = readRecurring(parser, context);
						case TIMESTAMP -> timestamp = readLong(parser, context);
					}
				}
				catch (JacksonException ex) {
					throw DatabindException.wrapWithPath(context, ex,
							new JacksonException.Reference(WireMessage.class, propertyName));
				}
			}
			previous = property;
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

	/**
	 * The properties of a frame read here.
	 */
	enum FrameProperty {

		ACTION("action"), ID("id"), CHANNEL("channel"), CHANNEL_SERIAL("channelSerial"), CONNECTION_ID("connectionId"),
		MSG_SERIAL("msgSerial"), TIMESTAMP("timestamp"), FLAGS("flags"), COUNT("count"), MESSAGES("messages"),
		PRESENCE("presence"), CONNECTION_DETAILS("connectionDetails"), ERROR("error"), AUTH("auth"), PARAMS("params");

		private final String json;

		FrameProperty(String json) {
			this.json = json;
		}

		String json() {
			return this.json;
		}

	}

	/**
	 * The properties of a message read here.
	 */
	enum MessageProperty {

		ID("id"), NAME("name"), DATA("data"), ENCODING("encoding"), CLIENT_ID("clientId"),
		CONNECTION_ID("connectionId"), TIMESTAMP("timestamp");

		private final String json;

		MessageProperty(String json) {
			this.json = json;
		}

		String json() {
			return this.json;
		}

	}

}
