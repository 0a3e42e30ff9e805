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

package dev.realtime.client.transport;

import java.net.URI;

/**
 * Opens {@link Transport Transports}.
 *
 * @author Realtime team
 */
@FunctionalInterface
public interface TransportFactory {

	/**
	 * Start opening a transport to the given URI. Returns at once; the outcome reaches
	 * the listener.
	 * @param uri the URI, with every query parameter of the protocol
	 * @param listener the listener for this transport's events
	 * @return the transport, which may not be open yet
	 */
	Transport open(URI uri, TransportListener listener);

}
