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

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.util.Assert;

/**
 * Options of a channel, sent with every {@code ATTACH}: channel parameters (for example
 * {@code rewind}) [RTL4k] and the modes asked for [RTL4l]. Immutable.
 *
 * @param params the channel parameters; empty for none
 * @param modes the modes asked for; empty for the server's default
 * @author Realtime team
 * @see RealtimeClient#channel(String, ChannelOptions)
 */
public record ChannelOptions(Map<String, String> params, Set<ChannelMode> modes) {

	private static final ChannelOptions DEFAULTS = new ChannelOptions(Map.of(), Set.of());

	public ChannelOptions {
		Assert.notNull(params, "'params' must not be null");
		Assert.notNull(modes, "'modes' must not be null");
		params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
		modes = modes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(modes));
	}

	/**
	 * Return the options of a channel that asks for nothing in particular.
	 * @return the default options
	 */
	public static ChannelOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Return these options with a channel parameter added.
	 * @param name the parameter's name, for example {@code rewind}
	 * @param value its value, for example {@code 10}
	 * @return new options
	 */
	public ChannelOptions withParam(String name, String value) {
		Map<String, String> params = new LinkedHashMap<>(this.params);
		params.put(name, value);
		return new ChannelOptions(params, this.modes);
	}

	/**
	 * Return these options with the given modes asked for instead.
	 * @param modes the modes
	 * @return new options
	 */
	public ChannelOptions withModes(ChannelMode... modes) {
		Set<ChannelMode> set = EnumSet.noneOf(ChannelMode.class);
		Collections.addAll(set, modes);
		return new ChannelOptions(this.params, set);
	}

}
