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

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

/**
 * The channels of a connection, by name, and the listeners of all their state changes.
 * Channels are created on any thread; protocol messages are routed to them on the actor.
 *
 * @author Realtime team
 */
final class ChannelRegistry {

	private final Map<String, Channel> channels = new ConcurrentHashMap<>();

	private final List<ChannelStateListener> listeners = new CopyOnWriteArrayList<>();

	private final BiFunction<String, ChannelOptions, Channel> factory;

	/**
	 * Create a registry.
	 * @param factory creates the channel of a name with its options
	 */
	ChannelRegistry(BiFunction<String, ChannelOptions, Channel> factory) {
		this.factory = factory;
	}

	/**
	 * Return the channel of a name, created with the given options on first use.
	 * @param name the name
	 * @param options the options of a new channel
	 * @return the channel
	 */
	Channel get(String name, ChannelOptions options) {
		return this.channels.computeIfAbsent(name, (key) -> this.factory.apply(key, options));
	}

	/**
	 * Return the channel of a name, if there is one.
	 * @param name the name
	 * @return the channel, or {@code null}
	 */
	@Nullable Channel find(String name) {
		return this.channels.get(name);
	}

	/**
	 * Forget a channel, if it is still the one registered under its name.
	 * @param channel the channel
	 */
	void remove(Channel channel) {
		this.channels.remove(channel.name(), channel);
	}

	/**
	 * Tell every channel something.
	 * @param action what to tell one channel
	 */
	void forEach(Consumer<Channel> action) {
		this.channels.values().forEach(action);
	}

	/**
	 * Return the listeners of every channel's state changes.
	 * @return the listeners, a list safe to iterate while it changes
	 */
	List<ChannelStateListener> listeners() {
		return this.listeners;
	}

}
