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

package dev.realtime.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Command-line arguments of the form {@code --name=value} or {@code --flag}.
 */
public final class Arguments {

	private final Map<String, String> values;

	private Arguments(Map<String, String> values) {
		this.values = values;
	}

	/**
	 * Parse arguments.
	 * @param args the arguments
	 * @return the parsed arguments
	 * @throws IllegalArgumentException if one is not of the form {@code --name[=value]}
	 */
	public static Arguments parse(String... args) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || arg.length() == 2) {
				throw new IllegalArgumentException("Expected --name=value, not '" + arg + "'");
			}
			int equals = arg.indexOf('=');
			if (equals < 0) {
				values.put(arg.substring(2), "true");
			}
			else {
				values.put(arg.substring(2, equals), arg.substring(equals + 1));
			}
		}
		return new Arguments(values);
	}

	/**
	 * Return the arguments as they would be written on a command line.
	 * @return the arguments
	 */
	public List<String> toList() {
		List<String> args = new ArrayList<>();
		this.values.forEach((name, value) -> args.add("--" + name + "=" + value));
		return args;
	}

	/**
	 * Return a copy with the given argument set.
	 * @param name the name
	 * @param value the value
	 * @return the new arguments
	 */
	public Arguments with(String name, Object value) {
		Map<String, String> values = new LinkedHashMap<>(this.values);
		values.put(name, String.valueOf(value));
		return new Arguments(values);
	}

	public boolean has(String name) {
		return this.values.containsKey(name);
	}

	public @Nullable String string(String name) {
		return this.values.get(name);
	}

	public String string(String name, String defaultValue) {
		return this.values.getOrDefault(name, defaultValue);
	}

	public String required(String name) {
		String value = this.values.get(name);
		if (value == null) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return value;
	}

	public int integer(String name, int defaultValue) {
		return (int) number(name, defaultValue);
	}

	/**
	 * Return a number, which may be written with {@code _} or {@code ,} separators and a
	 * {@code k} or {@code m} suffix: {@code 1_000_000}, {@code 1m}, {@code 500k}.
	 * @param name the name
	 * @param defaultValue the value if absent
	 * @return the number
	 */
	public long number(String name, long defaultValue) {
		String value = this.values.get(name);
		if (value == null) {
			return defaultValue;
		}
		String digits = value.replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
		long multiplier = 1;
		if (digits.endsWith("k")) {
			multiplier = 1_000;
			digits = digits.substring(0, digits.length() - 1);
		}
		else if (digits.endsWith("m")) {
			multiplier = 1_000_000;
			digits = digits.substring(0, digits.length() - 1);
		}
		try {
			return Long.parseLong(digits) * multiplier;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'");
		}
	}

	public boolean flag(String name) {
		return Boolean.parseBoolean(this.values.getOrDefault(name, "false"));
	}

	/**
	 * Return a duration written as {@code 500ms}, {@code 30s}, {@code 2m} or an ISO-8601
	 * duration.
	 * @param name the name
	 * @param defaultValue the value if absent
	 * @return the duration
	 */
	public Duration duration(String name, Duration defaultValue) {
		String value = this.values.get(name);
		if (value == null) {
			return defaultValue;
		}
		String text = value.trim().toLowerCase(Locale.ROOT);
		try {
			if (text.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
			}
			if (text.endsWith("s")) {
				return Duration.ofMillis((long) (Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
			}
			if (text.endsWith("m") && !text.startsWith("p")) {
				return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
			}
			return Duration.parse(value);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("--" + name + " must be a duration such as 30s, not '" + value + "'");
		}
	}

	public List<String> list(String name, List<String> defaultValue) {
		String value = this.values.get(name);
		return (value != null) ? Arrays.stream(value.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).toList()
				: defaultValue;
	}

}
