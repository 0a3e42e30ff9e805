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
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that every {@link WebSocketTransport} of the JVM shares, and the I/O
 * threads of each {@link RealtimeWebSocketContainer}. Shared: workers that write frames,
 * resume paused reading, close sockets and report failures, and one timer thread for the
 * send watchdogs, all daemon threads that end after a few idle seconds, so that nothing
 * has to be shut down. A container's I/O threads are a fixed few, which end with it (see
 * {@link #newIoGroup()}).
 * <p>
 * A worker is held only while a transport writes (a JSR-356 container may block the
 * writing thread; each write is bounded by the send time limit), closes (bounded by the
 * same limit) or resumes reading (handling the frames its container had already read,
 * then sending a ping), so workers exist only for transports with work under way, and
 * none once they are idle. A fixed-size pool would instead let a few stuck sockets delay
 * the writes of every healthy connection.
 *
 * @author Realtime team
 */
final class TransportThreads {

	private static final long KEEP_ALIVE_SECONDS = 10;

	/**
	 * The threads of a {@link #newIoGroup() group of I/O threads}: one per processor, and
	 * at least four, so that a few sockets whose peers stopped reading cannot hold up the
	 * others.
	 */
	static final int IO_THREADS = Math.max(4, Runtime.getRuntime().availableProcessors());

	/** Numbers the I/O threads of all containers, so that no two have the same name. */
	private static final AtomicInteger IO_THREAD_COUNT = new AtomicInteger();

	private TransportThreads() {
	}

	/**
	 * Return the executor for writes, closes and failure reports.
	 * @return the executor
	 */
	static Executor workers() {
		return Holder.WORKERS;
	}

	/**
	 * Return the timer for send watchdogs.
	 * @return the timer
	 */
	static OutboundFrames.Timeouts timeouts() {
		return (task, delayNanos) -> Holder.TIMER.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Create a group of I/O threads for the asynchronous sockets of a WebSocket
	 * container: {@link #IO_THREADS a few} daemon threads, each of which polls the
	 * sockets in turn and handles the events it finds itself, so that an inbound frame
	 * reaches the transport without a hand-off and thousands of idle sockets need no more
	 * threads than a few. A completion handler that blocks holds one of them: the
	 * transports never block in one, but Tomcat's client answers a ping or a close frame
	 * with a blocking write, which waits for the socket while the peer does not read, at
	 * most for the connection's send time limit (after which the transport drops the
	 * connection), and the other threads go on handling the other sockets. The group ends
	 * once {@link AsynchronousChannelGroup#shutdown() shut down} and its sockets are
	 * closed.
	 * @return the group
	 * @throws IOException if the JDK cannot create it
	 */
	static AsynchronousChannelGroup newIoGroup() throws IOException {
		return AsynchronousChannelGroup.withFixedThreadPool(IO_THREADS, daemonThreads("realtime-io-", IO_THREAD_COUNT));
	}

	private static ThreadFactory daemonThreads(String prefix) {
		return daemonThreads(prefix, new AtomicInteger());
	}

	private static ThreadFactory daemonThreads(String prefix, AtomicInteger count) {
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			thread.setContextClassLoader(TransportThreads.class.getClassLoader());
			return thread;
		};
	}

	/**
	 * Created on first use.
	 */
	private static final class Holder {

		static final ThreadPoolExecutor WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS,
				TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads("realtime-transport-"));

		static final ScheduledThreadPoolExecutor TIMER;

		static {
			TIMER = new ScheduledThreadPoolExecutor(1, daemonThreads("realtime-transport-timer-"));
			TIMER.setRemoveOnCancelPolicy(true);
			TIMER.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
			TIMER.allowCoreThreadTimeOut(true);
		}

	}

}
