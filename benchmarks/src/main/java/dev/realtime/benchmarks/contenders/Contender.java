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

package dev.realtime.benchmarks.contenders;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A client under measurement. Every contender does the same small things, so that the
 * benchmarks are written once: connect, attach and subscribe, publish with an
 * acknowledgement callback, and report its connection's state changes.
 */
public interface Contender extends AutoCloseable {

	/**
	 * Return the short name the runner knows this contender by.
	 * @return the name
	 */
	String name();

	/**
	 * Connect and wait until connected.
	 * @param echo whether the server should deliver this client's own messages back to it
	 * @param timeout how long to wait
	 * @throws Exception if the client does not connect in time
	 */
	void connect(boolean echo, Duration timeout) throws Exception;

	/**
	 * Return the id the server gave the connection.
	 * @return the connection id
	 */
	String connectionId();

	/**
	 * Attach a channel and subscribe to its messages; wait until attached.
	 * @param channel the channel
	 * @param listener called with every message, on the client's own thread
	 * @param timeout how long to wait
	 * @throws Exception if the channel does not attach in time
	 */
	void subscribe(String channel, MessageListener listener, Duration timeout) throws Exception;

	/**
	 * Attach a channel without subscribing; wait until attached.
	 * @param channel the channel
	 * @param timeout how long to wait
	 * @throws Exception if the channel does not attach in time
	 */
	void attach(String channel, Duration timeout) throws Exception;

	/**
	 * Publish a message.
	 * @param channel the channel
	 * @param name the event name
	 * @param data the data
	 * @param callback called once the server acknowledged or refused it
	 */
	void publish(String channel, String name, String data, PublishCallback callback);

	/**
	 * Describe the idle timeout this contender applies, given the server's
	 * {@code maxIdleInterval}: how long the server may stay silent before the client
	 * gives up on the connection, and how it checks.
	 * @param maxIdleInterval the server's max idle interval
	 * @return the description, such as {@code 15.0 s: maxIdleInterval 5 s + request
	 * timeout 10 s}
	 */
	default String idleTimeout(Duration maxIdleInterval) {
		return "none";
	}

	/**
	 * Return the record of this contender's connection state changes.
	 * @return the events
	 */
	ConnectionEvents events();

	/**
	 * Close the connection and release every resource, waiting a little at most.
	 */
	@Override
	void close();

	/**
	 * Receives messages.
	 */
	@FunctionalInterface
	interface MessageListener {

		/**
		 * Called with a message.
		 * @param name the event name
		 * @param data the data, as text
		 */
		void onMessage(String name, String data);

	}

	/**
	 * Hears the outcome of a publish.
	 */
	@FunctionalInterface
	interface PublishCallback {

		/**
		 * Called once the server acknowledged or refused the message.
		 * @param failure why it failed, {@code null} on success
		 */
		void done(@Nullable Throwable failure);

	}

}
