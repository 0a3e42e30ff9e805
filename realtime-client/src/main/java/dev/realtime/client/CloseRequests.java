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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The calls to {@link RealtimeConnection#close()} that wait for the connection to close.
 * Confined to the actor, but for {@link #newRequest()}.
 *
 * @author Realtime team
 */
final class CloseRequests {

	private final Notifier notifier;

	private final List<Request> waiting = new ArrayList<>();

	CloseRequests(Notifier notifier) {
		this.notifier = notifier;
	}

	/**
	 * Create the request of a call to {@code close()}. Called on the caller's thread: a
	 * listener cannot wait for the listeners to hear of the change, its own call is one
	 * of them.
	 * @return the request
	 */
	Request newRequest() {
		return new Request(new CompletableFuture<>(), !this.notifier.isListenerLane());
	}

	/**
	 * Wait with the given request until the connection is closed.
	 * @param request the request
	 */
	void add(Request request) {
		this.waiting.add(request);
	}

	/**
	 * Complete every waiting request.
	 * @param failure why the close did not happen, or {@code null} if it did
	 */
	void completeAll(@Nullable ErrorInfo failure) {
		this.waiting.forEach((request) -> complete(request, failure));
		this.waiting.clear();
	}

	/**
	 * Complete one request.
	 * @param request the request
	 * @param failure why the close did not happen, or {@code null} if it did
	 */
	void complete(Request request, @Nullable ErrorInfo failure) {
		if (failure != null) {
			this.notifier.fail(request.future(), failure);
		}
		else if (request.afterListeners()) {
			this.notifier.completeAfterListeners(request.future());
		}
		else {
			this.notifier.complete(request.future());
		}
	}

	/**
	 * A call to {@code close()}.
	 *
	 * @param future completes when the connection is closed
	 * @param afterListeners whether it completes only after the listeners have heard of
	 * the change
	 */
	record Request(CompletableFuture<Void> future, boolean afterListeners) {

	}

}
