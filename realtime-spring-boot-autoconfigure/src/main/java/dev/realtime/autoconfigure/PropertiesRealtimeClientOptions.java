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

package dev.realtime.autoconfigure;

import java.net.URI;

import dev.realtime.autoconfigure.RealtimeConnectionProperties.Queue;
import dev.realtime.autoconfigure.RealtimeConnectionProperties.Retry;
import dev.realtime.autoconfigure.RealtimeConnectionProperties.Subscribers;
import dev.realtime.autoconfigure.RealtimeConnectionProperties.Timeouts;
import dev.realtime.client.RealtimeClientOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static dev.realtime.autoconfigure.PropertyChecks.notNegative;
import static dev.realtime.autoconfigure.PropertyChecks.positive;
import static dev.realtime.autoconfigure.PropertyChecks.positiveIfSet;

/**
 * Creates the {@link RealtimeClientOptions} of a connection from its properties and
 * connection details, and rejects a bad value with a message that names its property.
 *
 * @author Realtime team
 */
final class PropertiesRealtimeClientOptions {

	private PropertiesRealtimeClientOptions() {
	}

	/**
	 * Create the options of a connection.
	 * @param connection the properties of the connection
	 * @param connectionDetails where it connects, and its credentials
	 * @return the options, named after the connection
	 * @throws InvalidConfigurationPropertyValueException for a bad value
	 */
	static RealtimeClientOptions of(ConnectionProperties connection, RealtimeConnectionDetails connectionDetails) {
		RealtimeConnectionProperties properties = connection.get();
		Timeouts timeouts = properties.getTimeouts();
		Retry retry = properties.getRetry();
		Queue queue = properties.getQueue();
		Subscribers subscribers = properties.getSubscribers();
		URI url = connectionDetails.getUrl();
		String key = validKey(connection, connectionDetails.getKey(), connectionDetails.getToken(), url);
		return RealtimeClientOptions.builder(url)
			.name(connection.connectionName())
			.key(key)
			.token(connectionDetails.getToken())
			.clientId(connectionDetails.getClientId())
			.echoMessages(properties.isEchoMessages())
			.connectTimeout(positive(connection.propertyName("timeouts.connect"), timeouts.getConnect()))
			.requestTimeout(positive(connection.propertyName("timeouts.request"), timeouts.getRequest()))
			.connectionStateTtl(
					positive(connection.propertyName("connection-state-ttl"), properties.getConnectionStateTtl()))
			.retryInitialDelay(positive(connection.propertyName("retry.initial-delay"), retry.getInitialDelay()))
			.retryMaxDelay(positive(connection.propertyName("retry.max-delay"), retry.getMaxDelay()))
			.retryMaxAttempts(positiveIfSet(connection.propertyName("retry.max-attempts"), retry.getMaxAttempts()))
			.retryResetAfter(notNegative(connection.propertyName("retry.reset-after"), retry.getResetAfter()))
			.retrySuspendedInterval(
					positive(connection.propertyName("retry.suspended-interval"), retry.getSuspendedInterval()))
			.retryChannelInterval(
					positive(connection.propertyName("retry.channel-interval"), retry.getChannelInterval()))
			.queueCapacity(positive(connection.propertyName("queue.capacity"), queue.getCapacity()))
			.queueMaxSize(positive(connection.propertyName("queue.max-size"), queue.getMaxSize()))
			.queueSendWindow(positive(connection.propertyName("queue.send-window"), queue.getSendWindow()))
			.messageTtl(positiveIfSet(connection.propertyName("queue.message-ttl"), queue.getMessageTtl()))
			.bundleMessages(queue.isBundleMessages())
			.subscriberBufferSize(
					positive(connection.propertyName("subscribers.buffer-size"), subscribers.getBufferSize()))
			.subscriberMaxPause(positive(connection.propertyName("subscribers.max-pause"), subscribers.getMaxPause()))
			.slowSubscriberPolicy(subscribers.getSlowPolicy())
			.attachOnSubscribe(properties.getChannels().isAttachOnSubscribe())
			.maxInboundFrameSize(positive(connection.propertyName("limits.max-inbound-frame-size"),
					properties.getLimits().getMaxInboundFrameSize()))
			.recover(properties.getRecover())
			.build();
	}

	/**
	 * Check the key: {@code name:secret}, not together with a token, and over
	 * {@code ws://} only to a loopback host unless allowed [RSC18].
	 */
	private static @Nullable String validKey(ConnectionProperties connection, @Nullable String key,
			@Nullable String token, URI url) {
		if (key == null) {
			return null;
		}
		int colon = key.indexOf(':');
		if (colon < 1 || colon == key.length() - 1) {
			throw new InvalidConfigurationPropertyValueException(connection.propertyName("key"), "******",
					"The key must have the form 'name:secret' (for example 'app.key:secret').");
		}
		if (token != null) {
			throw new InvalidConfigurationPropertyValueException(connection.propertyName("token"), "******",
					"A token cannot be used together with " + connection.propertyName("key") + ": remove one of them.");
		}
		if ("ws".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost())
				&& !connection.get().isAllowKeyOverPlainWebSocket()) {
			throw new InvalidConfigurationPropertyValueException(connection.propertyName("url"),
					RealtimeClientOptions.redact(url),
					"A key would be sent in clear text over ws:// to a host that is not loopback. Use wss://, a "
							+ "token, or set " + connection.propertyName("allow-key-over-plain-web-socket") + "=true.");
		}
		return key;
	}

	private static boolean isLoopback(@Nullable String host) {
		if (host == null) {
			return false;
		}
		String name = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return name.equalsIgnoreCase("localhost") || name.startsWith("127.") || name.equals("::1");
	}

}
