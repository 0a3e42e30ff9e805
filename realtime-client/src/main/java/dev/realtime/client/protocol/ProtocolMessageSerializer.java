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

import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a {@link ProtocolMessage} and its {@link WireMessage WireMessages} straight to
 * the generator, as the connection's actor does for every frame it sends: the same JSON
 * as Jackson's bean and record serializers write (fields in the same order, {@code null}
 * fields left out) without a reflective getter per field. The rare fields are written by
 * Jackson's serializers.
 *
 * @author Realtime team
 */
final class ProtocolMessageSerializer extends StdSerializer<ProtocolMessage> {

	ProtocolMessageSerializer() {
		super(ProtocolMessage.class);
	}

	@Override
	public void serialize(ProtocolMessage message, JsonGenerator generator, SerializationContext context) {
		generator.writeStartObject(message);
		writeNumber(generator, "action", message.getActionCode());
		writeValue(generator, context, "auth", message.getAuth());
		writeString(generator, "channel", message.getChannel());
		writeString(generator, "channelSerial", message.getChannelSerial());
		writeValue(generator, context, "connectionDetails", message.getConnectionDetails());
		writeString(generator, "connectionId", message.getConnectionId());
		writeNumber(generator, "count", message.getCount());
		writeValue(generator, context, "error", message.getError());
		writeNumber(generator, "flags", message.getFlags());
		writeString(generator, "id", message.getId());
		writeMessages(generator, context, message.getMessages());
		writeNumber(generator, "msgSerial", message.getMsgSerial());
		writeValue(generator, context, "params", message.getParams());
		writeValue(generator, context, "presence", message.getPresence());
		writeNumber(generator, "timestamp", message.getTimestamp());
		generator.writeEndObject();
	}

	private static void writeMessages(JsonGenerator generator, SerializationContext context,
			@Nullable List<WireMessage> messages) {
		if (messages == null) {
			return;
		}
		generator.writeName("messages");
		generator.writeStartArray(messages, messages.size());
		for (WireMessage message : messages) {
			if (message == null) {
				generator.writeNull();
				continue;
			}
			generator.writeStartObject(message);
			writeString(generator, "id", message.id());
			writeString(generator, "name", message.name());
			writeValue(generator, context, "data", message.data());
			writeString(generator, "encoding", message.encoding());
			writeString(generator, "clientId", message.clientId());
			writeString(generator, "connectionId", message.connectionId());
			writeNumber(generator, "timestamp", message.timestamp());
			generator.writeEndObject();
		}
		generator.writeEndArray();
	}

	private static void writeString(JsonGenerator generator, String name, @Nullable String value) {
		if (value != null) {
			generator.writeStringProperty(name, value);
		}
	}

	private static void writeNumber(JsonGenerator generator, String name, @Nullable Number value) {
		if (value instanceof Integer integer) {
			generator.writeNumberProperty(name, integer);
		}
		else if (value != null) {
			generator.writeNumberProperty(name, value.longValue());
		}
	}

	private static void writeValue(JsonGenerator generator, SerializationContext context, String name,
			@Nullable Object value) {
		if (value instanceof String text) {
			generator.writeStringProperty(name, text);
		}
		else if (value != null) {
			generator.writeName(name);
			context.writeValue(generator, value);
		}
	}

}
