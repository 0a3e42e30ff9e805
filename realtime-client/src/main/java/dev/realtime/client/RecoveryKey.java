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

package dev.realtime.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What another client instance needs to take over a connection [RTN16g]: the key that
 * recovers it, its id (to tell a recovery from a fresh connection), the next
 * {@code msgSerial}, and the serial of every attached channel. Encoded as JSON, which
 * carries any Unicode channel name [RTN16g1]; opaque to applications.
 *
 * @param connectionKey the key of the connection, sent as {@code recover} [RTN16k]
 * @param connectionId the id of the connection, or {@code null} if the key does not say
 * @param msgSerial the {@code msgSerial} of the next message published [RTN16f]
 * @param channelSerials the serial of each attached channel, by name [RTN16j]
 * @author Realtime team
 */
record RecoveryKey(String connectionKey, @Nullable String connectionId, long msgSerial,
		Map<String, String> channelSerials) {

	private static final JsonMapper json = JsonMapper.builder().build();

	RecoveryKey {
		channelSerials = Map.copyOf(channelSerials);
	}

	/**
	 * Encode this key.
	 * @return the recovery key, as applications see it
	 */
	String encode() {
		ObjectNode node = json.createObjectNode();
		node.put("connectionKey", this.connectionKey);
		if (this.connectionId != null) {
			node.put("connectionId", this.connectionId);
		}
		node.put("msgSerial", this.msgSerial);
		ObjectNode serials = node.putObject("channelSerials");
		this.channelSerials.forEach(serials::put);
		return json.writeValueAsString(node);
	}

	/**
	 * Decode a recovery key.
	 * @param text the key, as {@link #encode()} wrote it (the {@code serials} of the Ably
	 * SDKs' keys are read too)
	 * @return the key
	 * @throws IllegalArgumentException if it is not a recovery key; the message does not
	 * quote it, since it holds a secret
	 */
	static RecoveryKey decode(String text) {
		JsonNode node;
		try {
			node = json.readTree(text);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("it is not JSON");
		}
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException("it is not a JSON object");
		}
		JsonNode key = node.get("connectionKey");
		if (key == null || !key.isString() || key.asString().isEmpty()) {
			throw new IllegalArgumentException("it has no connectionKey");
		}
		JsonNode id = node.get("connectionId");
		JsonNode msgSerial = node.get("msgSerial");
		if (msgSerial == null || !msgSerial.canConvertToLong() || msgSerial.asLong() < 0) {
			throw new IllegalArgumentException("it has no msgSerial of 0 or more");
		}
		JsonNode serials = node.has("channelSerials") ? node.get("channelSerials") : node.get("serials");
		Map<String, String> channelSerials = new LinkedHashMap<>();
		if (serials != null && !serials.isNull()) {
			if (!serials.isObject()) {
				throw new IllegalArgumentException("its channelSerials are not a JSON object");
			}
			for (Map.Entry<String, JsonNode> serial : serials.properties()) {
				if (!serial.getValue().isString()) {
					throw new IllegalArgumentException("the serial of a channel is not a string");
				}
				channelSerials.put(serial.getKey(), serial.getValue().asString());
			}
		}
		return new RecoveryKey(key.asString(), (id != null && id.isString()) ? id.asString() : null, msgSerial.asLong(),
				channelSerials);
	}

}
