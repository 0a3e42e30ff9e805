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

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.jspecify.annotations.Nullable;

/**
 * Gives a container of Tomcat's WebSocket client I/O threads of its own. Tomcat runs the
 * I/O of all its client containers on one asynchronous channel group, on a thread pool
 * with no upper bound that keeps an idle thread for a minute, and has no setting for
 * either. The JDK's internal thread of such a group polls the sockets and hands each
 * event it finds to that pool, so that every inbound frame changes threads, and the pool
 * grows to the number of events that arrive together (the heartbeats of thousands of
 * connections) and keeps those threads while events keep coming: with it, 10,000 idle
 * connections kept 58 and 66 threads in all (two runs), and 14 with the group installed
 * here.
 * <p>
 * The group installed here has {@link TransportThreads#newIoGroup() a few threads} that
 * poll and handle events themselves, named {@code realtime-io-}, and belongs to the
 * container: {@link #destroy destroying} the container shuts them down, where Tomcat's
 * group outlives it. Tomcat keeps its group in a private field; where that field is not
 * as expected (a later Tomcat), the container keeps Tomcat's group and this is logged
 * once.
 *
 * @author Realtime team
 */
final class TomcatIoThreads {

	private static final Log logger = LogFactory.getLog(TomcatIoThreads.class);

	private static final @Nullable Field GROUP = TomcatSockets.field(WsWebSocketContainer.class.getName(),
			"asynchronousChannelGroup");

	private static final AtomicBoolean unavailableLogged = new AtomicBoolean();

	private TomcatIoThreads() {
	}

	/**
	 * Give a container that has not connected yet a group of I/O threads of its own.
	 * @param container the container
	 * @return the group, or {@code null} if the container keeps Tomcat's
	 */
	static @Nullable AsynchronousChannelGroup install(WsWebSocketContainer container) {
		if (GROUP != null && GROUP.getType() == AsynchronousChannelGroup.class) {
			try {
				AsynchronousChannelGroup group = TransportThreads.newIoGroup();
				GROUP.set(container, group);
				return group;
			}
			catch (IOException | IllegalAccessException ex) {
				logger.debug("Could not give Tomcat's WebSocket container I/O threads of its own", ex);
			}
		}
		if (unavailableLogged.compareAndSet(false, true)) {
			logger.info("Cannot give this version of Tomcat's WebSocket client I/O threads of its own: its"
					+ " connections use Tomcat's shared pool, which grows with the events that arrive together");
		}
		return null;
	}

	/**
	 * Destroy a container, closing its sessions, and shut its group of I/O threads down
	 * once their sockets are closed.
	 * @param container the container
	 * @param group the group {@link #install installed} in it, or {@code null}
	 */
	static void destroy(WsWebSocketContainer container, @Nullable AsynchronousChannelGroup group) {
		if (group != null && GROUP != null) {
			try {
				// Tomcat would release its shared group, which this container never used
				GROUP.set(container, null);
			}
			catch (IllegalAccessException ex) {
				logger.debug("Could not take the I/O threads of its own out of Tomcat's WebSocket container", ex);
			}
		}
		container.destroy();
		if (group != null) {
			group.shutdown();
		}
	}

}
