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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.realtime.client.ErrorInfo;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@link ProtocolMessage ProtocolMessages} in the JSON format of the
 * protocol. Reading is lenient [RTF1]: unknown fields are ignored, and a wrongly typed
 * optional field is dropped while the rest of the frame is kept; a frame that is not a
 * JSON object with an integer {@code action} is rejected with a
 * {@link ProtocolException}. Thread-safe.
 *
 * @author Realtime team
 */
public class ProtocolCodec {

	/** How many parts one frame may lose before it counts as malformed as a whole. */
	private static final int MAX_DROPPED_PARTS = 16;

	/** The values that must not reach a log: connection keys and credentials. */
	private static final Pattern SECRETS = Pattern
		.compile("(\"(?:connectionKey|accessToken|key|token)\"\\s*:\\s*\")[^\"]*");

	/** The code of an error from the server that says nothing more. */
	private static final int GENERIC_SERVER_ERROR = 50000;

	private final JsonMapper jsonMapper;

	/** Reads frames: built once, so that Jackson does not look the type up per frame. */
	private final ObjectReader reader;

	private final ObjectWriter writer;

	/**
	 * Return the codec that connections share. A codec is immutable and thread-safe, and
	 * what Jackson learns of the protocol's types (tens of kilobytes) is kept once.
	 * @return the shared codec
	 */
	public static ProtocolCodec shared() {
		return Shared.INSTANCE;
	}

	/**
	 * Create a codec with its own {@link JsonMapper}.
	 */
	public ProtocolCodec() {
		// Frames are read and written on a few long-lived threads: a buffer per thread
		// costs less than taking one from a shared pool per frame
		this(JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
			.build());
	}

	/**
	 * Create a codec that derives its mapper from the given one.
	 * @param jsonMapper the mapper to start from
	 */
	public ProtocolCodec(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper.rebuild()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			// An error that lacks its code or status gets the one the other implies
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.addModule(new SimpleModule("realtime-protocol")
				.addDeserializer(ProtocolMessage.class, new ProtocolMessageDeserializer())
				.addSerializer(ProtocolMessage.class, new ProtocolMessageSerializer()))
			.build();
		this.reader = this.jsonMapper.readerFor(ProtocolMessage.class);
		this.writer = this.jsonMapper.writerFor(ProtocolMessage.class);
	}

	private static final class Shared {

		static final ProtocolCodec INSTANCE = new ProtocolCodec();

	}

	/**
	 * Write a message as JSON.
	 * @param message the message
	 * @return the JSON text
	 */
	public String encode(ProtocolMessage message) {
		return this.writer.writeValueAsString(message);
	}

	/**
	 * Read a message from JSON text, leniently [RTF1]: unknown fields are ignored, and a
	 * field of the wrong type, an entry of {@code messages} that is not a message, or a
	 * number out of range is dropped and the rest of the frame kept.
	 * @param json the JSON text
	 * @return the message
	 * @throws ProtocolException if the text is not a protocol message: not a JSON object,
	 * or without an integer {@code action}
	 */
	public ProtocolMessage decode(String json) {
		return decode(json, (part) -> {
		});
	}

	/**
	 * Read a message from JSON text, leniently [RTF1], and report each part that was
	 * dropped: a field of the wrong type, an entry of {@code messages} that is not a
	 * message, a number out of range. Missing fields are not reported: every field but
	 * {@code action} is optional, and an {@code error} that lacks its {@code code} or
	 * {@code statusCode} gets the one the other implies.
	 * @param json the JSON text
	 * @param dropped told of each part that was dropped: its path (such as
	 * {@code messages[0].timestamp}) and what was wrong with it
	 * @return the message
	 * @throws ProtocolException if the text is not a protocol message: not a JSON object,
	 * or without an integer {@code action}
	 */
	public ProtocolMessage decode(String json, Consumer<String> dropped) {
		ProtocolMessage message;
		try {
			message = this.reader.readValue(json);
		}
		catch (JacksonException ex) {
			message = decodeDropping(json, ex, dropped);
		}
		if (message == null || message.getActionCode() == null) {
			throw new ProtocolException("Frame has no action: " + abbreviate(json), null);
		}
		normalize(message, dropped);
		return message;
	}

	/**
	 * Read a frame again whose first reading failed on a value, without that value, until
	 * it reads or there is nothing left to drop.
	 */
	private @Nullable ProtocolMessage decodeDropping(String json, JacksonException firstFailure,
			Consumer<String> dropped) {
		if (firstFailure.getPath().isEmpty()) {
			throw malformed(json, firstFailure); // not JSON, or not an object
		}
		JsonNode tree;
		try {
			tree = this.jsonMapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw malformed(json, ex);
		}
		// Read from the tree first: it may differ from the text, where a field repeats
		for (int i = 0; i <= MAX_DROPPED_PARTS; i++) {
			JacksonException failure;
			try {
				return this.jsonMapper.treeToValue(tree, ProtocolMessage.class);
			}
			catch (JacksonException ex) {
				failure = ex;
			}
			String path = (i < MAX_DROPPED_PARTS) ? remove(tree, failure.getPath()) : null;
			if (path == null) {
				throw malformed(json, failure);
			}
			dropped.accept(path + ": " + abbreviate(String.valueOf(failure.getOriginalMessage())));
		}
		throw malformed(json, firstFailure);
	}

	/**
	 * Remove the value at the given path from the tree.
	 * @return the path as text, or {@code null} if there is no value there
	 */
	private static @Nullable String remove(JsonNode tree, List<JacksonException.Reference> path) {
		StringBuilder description = new StringBuilder();
		JsonNode node = tree;
		for (int i = 0; i < path.size(); i++) {
			JacksonException.Reference reference = path.get(i);
			String name = reference.getPropertyName();
			int index = reference.getIndex();
			boolean last = i == path.size() - 1;
			if (name != null && node instanceof ObjectNode object && object.has(name)) {
				description.append((description.length() > 0) ? "." : "").append(name);
				if (last) {
					object.remove(name);
					return description.toString();
				}
				node = object.get(name);
			}
			else if (index >= 0 && node instanceof ArrayNode array && index < array.size()) {
				description.append('[').append(index).append(']');
				if (last) {
					array.remove(index);
					return description.toString();
				}
				node = array.get(index);
			}
			else {
				return null;
			}
		}
		return null;
	}

	/**
	 * Drop the entries of {@code messages} that are {@code null}, and fill in what the
	 * {@code error} lacks.
	 */
	private static void normalize(ProtocolMessage message, Consumer<String> dropped) {
		List<WireMessage> messages = message.getMessages();
		if (messages != null && messages.contains(null)) {
			List<WireMessage> kept = new ArrayList<>(messages.size());
			for (int i = 0; i < messages.size(); i++) {
				if (messages.get(i) != null) {
					kept.add(messages.get(i));
				}
				else {
					dropped.accept("messages[" + i + "]: null");
				}
			}
			message.setMessages(kept);
		}
		ErrorInfo error = message.getError();
		if (error != null) {
			message.setError(normalize(error));
		}
	}

	/**
	 * Fill in what an error lacks: the status its code implies (Ably codes are an HTTP
	 * status times a hundred plus a detail), the generic code of its status, a message.
	 */
	private static ErrorInfo normalize(ErrorInfo error) {
		int code = error.code();
		int statusCode = error.statusCode();
		String message = error.message();
		if (code > 0 && statusCode > 0 && message != null) {
			return error;
		}
		if (code <= 0) {
			code = (statusCode > 0) ? statusCode * 100 : GENERIC_SERVER_ERROR;
		}
		if (statusCode <= 0) {
			statusCode = (code >= 40000 && code < 60000) ? code / 100 : 500;
		}
		return new ErrorInfo(code, statusCode, (message != null) ? message : "(the server sent no message)");
	}

	private static ProtocolException malformed(String json, JacksonException ex) {
		return new ProtocolException("Malformed frame: " + abbreviate(json), ex);
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

	/**
	 * Shorten a frame for an error message, without the secrets it may hold.
	 */
	private static String abbreviate(String text) {
		String shortened = (text.length() <= 200) ? text : text.substring(0, 200) + "...";
		return SECRETS.matcher(shortened).replaceAll("$1******");
	}

}
