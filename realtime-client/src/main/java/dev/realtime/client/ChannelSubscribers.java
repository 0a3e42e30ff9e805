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

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The subscribers of a channel, and the delivery of its messages to them. Delivery runs
 * on the channel's {@link SubscriberLane}, where payloads are decoded; a subscriber that
 * throws is logged and the others still get the message.
 *
 * @author Realtime team
 */
final class ChannelSubscribers {

	private static final Log logger = LogFactory.getLog(ChannelSubscribers.class);

	private final String channel;

	private final Function<WireMessage, @Nullable Object> decoder;

	private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

	/**
	 * Create the subscribers of a channel.
	 * @param channel the channel name
	 * @param decoder decodes a message's payload
	 */
	ChannelSubscribers(String channel, Function<WireMessage, @Nullable Object> decoder) {
		this.channel = channel;
		this.decoder = decoder;
	}

	/**
	 * Add a subscriber.
	 * @param name the message name it takes, or {@code null} for all
	 * @param consumer the subscriber
	 * @return the subscription that removes it
	 */
	Subscription add(@Nullable String name, Consumer<Message> consumer) {
		Subscriber subscriber = new Subscriber(name, consumer);
		this.subscribers.add(subscriber);
		return () -> this.subscribers.remove(subscriber);
	}

	/**
	 * Deliver the messages of a {@code MESSAGE} frame. Called on the subscribers' lane.
	 * @param envelope the frame, whose fields stand in for those its messages omit
	 * @param messages its messages
	 */
	void deliver(ProtocolMessage envelope, List<WireMessage> messages) {
		for (int i = 0; i < messages.size(); i++) {
			dispatch(toMessage(envelope, messages.get(i), i));
		}
	}

	private Message toMessage(ProtocolMessage envelope, WireMessage message, int index) {
		String id = (message.id() != null) ? message.id()
				: Objects.requireNonNullElse(envelope.getId(), Objects.toString(envelope.getChannelSerial())) + ":"
						+ index;
		Long timestamp = (message.timestamp() != null) ? message.timestamp() : envelope.getTimestamp();
		return new Message(id, message.name(), this.decoder.apply(message), message.clientId(),
				(message.connectionId() != null) ? message.connectionId() : envelope.getConnectionId(),
				(timestamp != null) ? Instant.ofEpochMilli(timestamp) : null);
	}

	private void dispatch(Message message) {
		for (Subscriber subscriber : this.subscribers) {
			String name = subscriber.name();
			if (name == null || name.equals(message.name())) {
				try {
					subscriber.consumer().accept(message);
				}
				catch (RuntimeException ex) {
					logger.warn("Subscriber of channel '" + this.channel + "' failed on message " + message.id(), ex);
				}
			}
		}
	}

	private record Subscriber(@Nullable String name, Consumer<Message> consumer) {

	}

}
