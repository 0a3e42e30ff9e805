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

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.Utf8;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the payloads a connection publishes, each with an id of its own, and decodes
 * the payloads it receives. Thread-safe: publishing threads encode, subscriber lanes
 * decode.
 *
 * @author Realtime team
 */
final class Payloads {

	private static final Log logger = LogFactory.getLog(Payloads.class);

	/** Random bytes in the prefix of the message ids, as the Ably SDKs use [RSL1k1]. */
	private static final int ID_PREFIX_BYTES = 9;

	/**
	 * Not the client's random generator: ids must differ between clients even when tests
	 * seed every client alike.
	 */
	private static final SecureRandom idRandom = new SecureRandom();

	private final ProtocolCodec codec;

	/**
	 * The part of every message id before its serial: 72 random bits in 12 characters,
	 * where a UUID took 36. Every message carries it, and Tomcat's client masks each byte
	 * it sends with a fenced write (see the README's Performance section).
	 */
	private final String idPrefix = newIdPrefix();

	private final AtomicLong ids = new AtomicLong();

	Payloads(ProtocolCodec codec) {
		this.codec = codec;
	}

	private static String newIdPrefix() {
		byte[] bytes = new byte[ID_PREFIX_BYTES];
		idRandom.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Encode a payload with a fresh message id, so that the server can drop a duplicate
	 * of a message resent on a new connection.
	 * @param name the message name
	 * @param data the payload
	 * @return the message
	 */
	WireMessage encode(@Nullable String name, @Nullable Object data) {
		return this.codec.encodeMessage(this.idPrefix + ":" + this.ids.getAndIncrement(), name, data);
	}

	/**
	 * Return the size of a message as the maximum message size counts it [TM6]: its name
	 * and its data, strings in UTF-8 bytes, binary data in bytes (not its base64), other
	 * data as its JSON text.
	 * @param message the encoded message
	 * @return the size in bytes
	 */
	static long size(WireMessage message) {
		long size = utf8Length(message.name()) + utf8Length(message.clientId());
		if (message.data() instanceof String text) {
			size += "base64".equals(message.encoding()) ? base64DecodedLength(text) : utf8Length(text);
		}
		return size;
	}

	private static long base64DecodedLength(String base64) {
		int padding = base64.endsWith("==") ? 2 : (base64.endsWith("=") ? 1 : 0);
		return (long) base64.length() / 4 * 3 - padding;
	}

	private static long utf8Length(@Nullable String text) {
		return (text != null) ? Utf8.encodedLength(text) : 0;
	}

	/**
	 * Encode the data of a presence message; the server gives it its id.
	 * @param action the presence action
	 * @param data the member's data
	 * @return the presence message
	 */
	WirePresenceMessage encodePresence(PresenceAction action, @Nullable Object data) {
		return this.codec.encodePresence(action.code(), data);
	}

	/**
	 * Decode the data of a received presence message, as {@link #decode(WireMessage)}
	 * does a message's.
	 * @param message the presence message
	 * @return the data
	 */
	@Nullable Object decode(WirePresenceMessage message) {
		try {
			return this.codec.decodeData(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Delivering presence message " + message.id()
					+ " undecoded: its data does not match its encoding '" + message.encoding() + "'");
			return message.data();
		}
	}

	/**
	 * Decode a received payload; one whose data does not match its encoding is delivered
	 * as it came, with a warning.
	 * @param message the message
	 * @return the data
	 */
	@Nullable Object decode(WireMessage message) {
		try {
			return this.codec.decodeData(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Delivering message " + message.id() + " undecoded: its data does not match its encoding '"
					+ message.encoding() + "'");
			return message.data();
		}
	}

}
