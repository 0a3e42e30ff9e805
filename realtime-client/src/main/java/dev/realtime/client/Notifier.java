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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands results and events from the connection's actor to application code, on lanes that
 * the actor never waits for.
 * <ul>
 * <li>State listeners run in order on one serial lane: a listener that blocks delays only
 * later listener calls.</li>
 * <li>Futures complete on the completion executor, each in a task of its own, never on
 * the listener lane: a listener may wait on any future.</li>
 * </ul>
 * A future may complete before the listeners have heard of the state change that
 * completed it; the state the connection reports is already the new one.
 *
 * @author Realtime team
 */
final class Notifier {

	private static final Log logger = LogFactory.getLog(Notifier.class);

	private final SerialExecutor listeners;

	private final Executor completions;

	Notifier(Executor callbacks, Executor completions) {
		this.listeners = new SerialExecutor(callbacks, Integer.MAX_VALUE);
		this.completions = completions;
	}

	<T> void complete(CompletableFuture<T> future, @Nullable T value) {
		settle(() -> future.complete(value));
	}

	void complete(CompletableFuture<Void> future) {
		complete(future, null);
	}

	/**
	 * Complete a future with a value computed on the completion executor, not on the
	 * caller's thread: for values that take work to build, such as decoded payloads.
	 * @param future the future
	 * @param value computes the value; if it throws, the future fails with its exception
	 */
	<T> void completeWith(CompletableFuture<T> future, Supplier<T> value) {
		settle(() -> {
			try {
				future.complete(value.get());
			}
			catch (RuntimeException ex) {
				future.completeExceptionally(ex);
			}
		});
	}

	/**
	 * Complete a future once the listeners have heard of everything notified so far. A
	 * listener that waits on such a future waits for itself: do not hand one to a
	 * listener.
	 * @param future the future
	 */
	void completeAfterListeners(CompletableFuture<Void> future) {
		this.listeners.execute(() -> complete(future));
	}

	/**
	 * Return whether the calling thread is running a listener.
	 * @return whether on the listener lane
	 */
	boolean isListenerLane() {
		return this.listeners.isCurrentLane();
	}

	void fail(CompletableFuture<?> future, ErrorInfo reason) {
		settle(() -> future.completeExceptionally(new RealtimeException(reason)));
	}

	private void settle(Runnable completion) {
		try {
			this.completions.execute(completion);
		}
		catch (RejectedExecutionException ex) {
			// Never leave a future pending: an application executor that refuses work
			// (shut down) gets its future completed here instead
			logger.debug("Completion executor refused a task; completing on the calling thread", ex);
			completion.run();
		}
	}

	/**
	 * Tell every listener of a list about an event, on the listener lane. A listener that
	 * throws is logged and does not stop the others.
	 * @param listeners the listeners, read when the notification runs
	 * @param event the event
	 * @param call how to tell one listener
	 */
	<L, E> void notify(List<L> listeners, E event, BiConsumer<L, E> call) {
		this.listeners.execute(() -> {
			for (L listener : listeners) {
				try {
					call.accept(listener, event);
				}
				catch (RuntimeException ex) {
					logger.warn("Listener " + listener + " failed on " + event, ex);
				}
			}
		});
	}

}
