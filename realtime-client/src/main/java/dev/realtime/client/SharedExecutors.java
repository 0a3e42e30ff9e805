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

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors on which application code runs when a client is built without executors
 * of its own: shared by every such client of the class loader, daemon threads that end
 * when idle, so that idle clients hold no threads.
 * <ul>
 * <li>{@link #callbacks()} runs the lanes of listeners and subscribers. A lane borrows
 * one thread at a time, and a lane whose callback blocks keeps its thread, so the pool
 * grows (up to {@value #MAX_CALLBACK_THREADS} threads) rather than let one lane hold up
 * another.</li>
 * <li>{@link #completions()} completes futures, each in a task of its own, on a
 * {@link ForkJoinPool}: a callback that waits on another future with {@code get()} or
 * {@code join()} makes the pool add a thread while it waits (managed blocking), so
 * waiting on a future from a future's callback cannot deadlock.</li>
 * </ul>
 *
 * @author Realtime team
 */
final class SharedExecutors {

	/** How many lanes may run (or block) at once before further lanes queue. */
	static final int MAX_CALLBACK_THREADS = 64;

	private static final long KEEP_ALIVE_SECONDS = 30;

	private SharedExecutors() {
	}

	/**
	 * Return the shared executor for listener and subscriber lanes.
	 * @return the executor
	 */
	static Executor callbacks() {
		return Callbacks.EXECUTOR;
	}

	/**
	 * Return the shared executor that completes futures.
	 * @return the executor
	 */
	static Executor completions() {
		return Completions.POOL;
	}

	private static final class Callbacks {

		static final ThreadPoolExecutor EXECUTOR;

		static {
			EXECUTOR = new ThreadPoolExecutor(MAX_CALLBACK_THREADS, MAX_CALLBACK_THREADS, KEEP_ALIVE_SECONDS,
					TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DaemonThreadFactory("realtime-callback-"));
			EXECUTOR.allowCoreThreadTimeOut(true);
		}

	}

	private static final class Completions {

		static final ForkJoinPool POOL = new ForkJoinPool(1, (pool) -> {
			ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
			thread.setName("realtime-completion-" + thread.getPoolIndex());
			thread.setDaemon(true);
			return thread;
		}, null, true);

	}

	private static final class DaemonThreadFactory implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		DaemonThreadFactory(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, this.prefix + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
