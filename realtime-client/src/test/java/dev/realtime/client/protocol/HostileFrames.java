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
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes up the frames a hostile or broken server may send, from a seeded random
 * generator: JSON of any shape with the fields of a protocol message holding values of
 * any type, truncated, nested deeply or oversized. Public for the property tests of other
 * packages, which draw samples through {@link #arbitrary(Function)}.
 */
public final class HostileFrames {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The fields of a protocol message but its action, which is made up apart. */
	private static final List<String> FIELDS = List.of("id", "channel", "channelSerial", "connectionId",
			"connectionDetails", "count", "error", "flags", "msgSerial", "messages", "presence", "timestamp", "params",
			"auth", "res");

	private static final List<String> DETAILS = List.of("clientId", "connectionKey", "connectionStateTtl",
			"maxIdleInterval", "maxMessageSize", "maxFrameSize", "serverId");

	private static final List<String> MESSAGE_FIELDS = List.of("id", "name", "data", "encoding", "clientId",
			"connectionId", "timestamp", "extras");

	private static final List<String> ERROR_FIELDS = List.of("code", "statusCode", "message", "href", "cause");

	private static final List<String> NOT_MESSAGES = List.of("", " ", "{", "}", "[", "null", "[1,2]", "\"text\"",
			"{\"action\":", "{\"action\":4,", "\0", "\"\\" + "u12", "not json");

	/**
	 * Numbers from small integers to ones no Java type holds, but within the parser's
	 * limit of 1000 digits, past which a frame is malformed as a whole.
	 */
	private static final List<String> ODD_NUMBERS = List.of("1.5", "-0", "1e400", "-1e-400", "99999999999999999999999",
			"0.0000001", "2147483648", "-2147483649", "9223372036854775808", "1" + "0".repeat(900));

	private static final List<String> EXTREMES = List.of(
			"{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":" + "[".repeat(5000) + "]".repeat(5000)
					+ "}]}",
			"{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":" + "{\"a\":".repeat(3000),
			"{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"" + "x".repeat(1024 * 1024) + "\"}]}",
			"{\"action\":15,\"channel\":\"news\",\"messages\":[" + "{\"data\":1},".repeat(5000) + "null]}",
			"{\"action\":4,\"connectionId\":\"" + "c".repeat(100_000) + "\"}");

	private final RandomGenerator random;

	/**
	 * Return a jqwik arbitrary of samples made up from the random source that jqwik
	 * seeds, so that a failing sample is replayed by its seed.
	 * @param <T> the type of a sample
	 * @param sample makes up one sample
	 * @return the arbitrary
	 */
	public static <T> Arbitrary<T> arbitrary(Function<HostileFrames, T> sample) {
		return Arbitraries.randomValue((random) -> sample.apply(new HostileFrames(random)));
	}

	/**
	 * Make up frames from the given generator.
	 * @param random the source of every choice, seeded to replay a run
	 */
	public HostileFrames(RandomGenerator random) {
		this.random = random;
	}

	/**
	 * A frame that looks like a protocol message: usually an action, known fields with
	 * values of the right type or of any other, and unknown fields.
	 * @return the JSON text
	 */
	public String frame() {
		List<String> entries = new ArrayList<>();
		if (chance(0.95)) {
			String action = oneOf(12, () -> String.valueOf(between(-1, 23)), 1, () -> value(2), 1, () -> "\"4\"");
			entries.add("\"action\":" + action);
		}
		entries.addAll(fields());
		return "{" + String.join(",", entries) + "}";
	}

	/**
	 * A frame as {@link #frame()} makes them, but without an action.
	 * @return the JSON text
	 */
	public String frameWithoutAction() {
		return "{" + String.join(",", fields()) + "}";
	}

	/**
	 * A frame as {@link #frame()} makes them, or text that is not a protocol message at
	 * all; either may be cut short anywhere.
	 * @return the text
	 */
	public String hostileFrame() {
		String frame = oneOf(8, this::frame, 1, () -> value(2), 1, () -> pick(NOT_MESSAGES));
		return chance(0.2) ? frame.substring(0, between(0, frame.length())) : frame;
	}

	/**
	 * A frame at the extremes: data nested far deeper than the parser allows, a megabyte
	 * of data, thousands of messages in one frame, a huge connection id.
	 * @return the JSON text
	 */
	public String extreme() {
		return pick(EXTREMES);
	}

	/**
	 * A JSON value of any type, nested up to the given depth.
	 * @param depth how deep arrays and objects may nest
	 * @return the JSON text
	 */
	public String value(int depth) {
		int kind = between(0, (depth > 0) ? 5 : 3);
		return switch (kind) {
			case 0 -> pick(List.of("null", "true", "false"));
			case 1, 2 -> number();
			case 3 -> string();
			case 4 -> "[" + String.join(",", listOf(4, () -> value(depth - 1))) + "]";
			default -> "{" + String.join(",", listOf(4, () -> string() + ":" + value(depth - 1))) + "}";
		};
	}

	/**
	 * A JSON number, from small integers to ones no Java type holds.
	 * @return the JSON text
	 */
	public String number() {
		return oneOf(4, () -> String.valueOf(between(-3, 100_000)), 1, () -> String.valueOf(this.random.nextLong()), 1,
				() -> pick(ODD_NUMBERS));
	}

	/**
	 * A JSON string of any characters, escapes and lone surrogates included.
	 * @return the JSON text
	 */
	public String string() {
		int kind = between(0, 3);
		if (kind == 0) {
			return quote(pick(List.of("news", "s1", "seq:cursor", "c1", "k1", "")));
		}
		StringBuilder text = new StringBuilder();
		int length = between(0, 12);
		for (int i = 0; i < length; i++) {
			text.append((kind == 1) ? (char) between(0x20, 0x7f) : (char) between(0, Character.MAX_VALUE + 1));
		}
		return quote(text.toString());
	}

	/**
	 * Return a whole number in {@code [from, to)}.
	 * @param from the least
	 * @param to one more than the most
	 * @return the number
	 */
	public int between(int from, int to) {
		return (from < to) ? this.random.nextInt(from, to) : from;
	}

	/**
	 * Return {@code true} with the given probability.
	 * @param probability the probability
	 * @return whether
	 */
	public boolean chance(double probability) {
		return this.random.nextDouble() < probability;
	}

	/**
	 * Return one of the given items.
	 * @param <T> the type of the items
	 * @param items the items
	 * @return one of them
	 */
	public <T> T pick(List<T> items) {
		return items.get(this.random.nextInt(items.size()));
	}

	private List<String> fields() {
		List<String> entries = new ArrayList<>();
		int count = between(0, 7);
		for (int i = 0; i < count; i++) {
			entries.add(field());
		}
		return entries;
	}

	private String field() {
		String name = chance(0.9) ? pick(FIELDS) : pick(List.of("unknown", "extras", "state", "annotations"));
		String value = switch (name) {
			case "channel" -> oneOf(5, () -> "\"news\"", 1, this::string, 1, () -> value(1));
			case "connectionDetails" -> objectOf(DETAILS, this::numberOrAnything);
			case "count", "flags", "msgSerial", "timestamp" -> numberOrAnything();
			case "error" -> oneOf(3, () -> objectOf(ERROR_FIELDS, () -> oneOf(1,
					() -> pick(List.of("40142", "80000", "40000", "0", "-1", "50003")), 2, this::numberOrAnything)), 1,
					() -> value(2));
			case "messages", "presence" -> messages();
			case "params" -> objectOf(List.of("rewind", "modes", "x"), () -> value(1));
			case "id", "channelSerial", "connectionId" -> oneOf(4, this::string, 1, () -> value(1));
			default -> value(2);
		};
		return quote(name) + ":" + value;
	}

	private String numberOrAnything() {
		return oneOf(3, this::number, 1, () -> value(2));
	}

	private String messages() {
		Supplier<String> message = () -> oneOf(6, () -> objectOf(MESSAGE_FIELDS, () -> value(2)), 1, () -> "null", 1,
				() -> value(2));
		return oneOf(6, () -> "[" + String.join(",", listOf(5, message)) + "]", 1, () -> value(2));
	}

	private String objectOf(List<String> names, Supplier<String> values) {
		return "{" + String.join(",", listOf(names.size(), () -> quote(pick(names)) + ":" + values.get())) + "}";
	}

	private List<String> listOf(int maxSize, Supplier<String> items) {
		List<String> list = new ArrayList<>();
		int size = between(0, maxSize + 1);
		for (int i = 0; i < size; i++) {
			list.add(items.get());
		}
		return list;
	}

	private String oneOf(int weight1, Supplier<String> choice1, int weight2, Supplier<String> choice2) {
		return (this.random.nextInt(weight1 + weight2) < weight1) ? choice1.get() : choice2.get();
	}

	private String oneOf(int weight1, Supplier<String> choice1, int weight2, Supplier<String> choice2, int weight3,
			Supplier<String> choice3) {
		int roll = this.random.nextInt(weight1 + weight2 + weight3);
		return (roll < weight1) ? choice1.get() : (roll < weight1 + weight2) ? choice2.get() : choice3.get();
	}

	static String quote(String text) {
		return json.writeValueAsString(text);
	}

}
