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

/**
 * The state of a {@link RealtimeChannel}.
 *
 * @author Realtime team
 */
public enum ChannelState {

	/**
	 * Created and never attached.
	 */
	INITIALIZED,

	/**
	 * Asked to attach; waiting for the server's {@code ATTACHED}, or for the connection
	 * to be able to send the request.
	 */
	ATTACHING,

	/**
	 * Attached: messages published on the channel are delivered to subscribers.
	 */
	ATTACHED,

	/**
	 * Asked to detach; waiting for the server's {@code DETACHED}.
	 */
	DETACHING,

	/**
	 * Detached, by request or because the connection was closed.
	 */
	DETACHED,

	/**
	 * Could not attach (the connection is suspended, or attaching timed out); attaching
	 * is retried automatically.
	 */
	SUSPENDED,

	/**
	 * The server refused the channel, or the connection failed. Nothing happens until
	 * {@code attach()} is called.
	 */
	FAILED

}
