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

package dev.realtime.benchmarks.server;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Pushes a run of MESSAGE frames to one session on one channel, as fast as the socket
 * takes them or paced at a rate. When the socket fails, the burst waits for the client to
 * resume and attach the channel again: it continues after the channel serial the client
 * names, so a client that drops its transport still gets every message exactly once, and
 * its rate counts the time it spent reconnecting. A paced burst goes on at its rate after
 * a resume, without catching up on the time the client was away. A burst that has sent
 * everything lingers, so that a client that lost the end of it in a dropped socket gets
 * it too; it ends when cancelled or after two minutes without a client to write to.
 */
final class Burst implements Runnable {

	/** How long to wait for a client to come back before giving up. */
	private static final long ABANDON_AFTER_NANOS = TimeUnit.MINUTES.toNanos(2);

	private final String channel;

	private final long frames;

	private final int perFrame;

	private final double framesPerSecond;

	private final BurstFrames template;

	/** The next serial to send. Guarded by this. */
	private long next = 1;

	/**
	 * The connection to write to, {@code null} while the client is away. Guarded by this.
	 */
	private @Nullable ServerConnection target;

	/** Incremented whenever the target changes. Guarded by this. */
	private long epoch;

	/** Guarded by this. */
	private boolean cancelled;

	private volatile long startedAt;

	/**
	 * When frame 1 was (or would have been) due, for pacing; moved on a resume so that a
	 * paced burst goes on at its rate rather than catching up. Guarded by this.
	 */
	private long paceOrigin;

	/** When the last frame was written, {@code 0} while frames remain. */
	private volatile long finishedAt;

	private volatile long framesWritten;

	private volatile int restarts;

	/**
	 * Create a burst.
	 * @param connectionId the id of the pretend publisher
	 * @param channel the channel
	 * @param messages how many messages
	 * @param perFrame how many messages per frame
	 * @param rate messages per second, {@code 0} for as fast as the socket goes
	 * @param payloadSize characters of data per message
	 * @param target the connection to start on
	 */
	Burst(String connectionId, String channel, long messages, int perFrame, long rate, int payloadSize,
			ServerConnection target) {
		this.channel = channel;
		this.frames = (messages + perFrame - 1) / perFrame;
		this.perFrame = perFrame;
		this.framesPerSecond = (rate > 0) ? (double) rate / perFrame : 0;
		this.template = new BurstFrames(connectionId, channel, perFrame, payloadSize);
		this.target = target;
	}

	/**
	 * Continue on a connection that attached the channel again.
	 * @param connection the connection
	 * @param channelSerial the serial the client named, or {@code null}
	 */
	synchronized void resume(ServerConnection connection, @Nullable String channelSerial) {
		long serial = (channelSerial != null) ? BurstFrames.serialOf(channelSerial) : -1;
		if (serial >= 0) {
			this.next = serial + 1;
		}
		this.target = connection;
		this.epoch++;
		this.restarts++;
		if (this.framesPerSecond > 0) {
			this.paceOrigin = System.nanoTime() - (long) ((this.next - 1) * 1e9 / this.framesPerSecond);
		}
		notifyAll();
	}

	synchronized void cancel() {
		this.cancelled = true;
		notifyAll();
	}

	@Override
	public void run() {
		this.startedAt = System.nanoTime();
		synchronized (this) {
			this.paceOrigin = this.startedAt;
		}
		try {
			push();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void push() throws InterruptedException {
		while (true) {
			ServerConnection connection;
			long from;
			long epoch;
			long paceOrigin;
			synchronized (this) {
				long waitUntil = System.nanoTime() + ABANDON_AFTER_NANOS;
				while ((this.target == null || this.next > this.frames) && !this.cancelled) {
					if (this.next > this.frames && this.finishedAt == 0) {
						this.finishedAt = System.nanoTime();
					}
					long remaining = waitUntil - System.nanoTime();
					if (remaining <= 0) {
						return;
					}
					TimeUnit.NANOSECONDS.timedWait(this, remaining);
				}
				if (this.cancelled) {
					return;
				}
				this.finishedAt = 0;
				connection = this.target;
				from = this.next;
				epoch = this.epoch;
				paceOrigin = this.paceOrigin;
			}
			int count = (int) Math.min(this.template.framesPerChunk(), this.frames - from + 1);
			if (this.framesPerSecond > 0) {
				long elapsed = System.nanoTime() - paceOrigin;
				long due = (long) (elapsed / 1e9 * this.framesPerSecond) - (from - 1);
				if (due <= 0) {
					long nextDueAt = paceOrigin + (long) (from * 1e9 / this.framesPerSecond);
					LockSupport.parkNanos(Math.max(nextDueAt - System.nanoTime(), 10_000));
					continue;
				}
				count = (int) Math.min(count, due);
			}
			byte[] chunk = this.template.fill(from, count);
			try {
				connection.outbound().writeFrames(chunk, 0, count * this.template.frameLength());
			}
			catch (IOException ex) {
				synchronized (this) {
					if (this.epoch == epoch) {
						this.target = null;
					}
				}
				continue;
			}
			this.framesWritten += count;
			synchronized (this) {
				if (this.epoch == epoch) {
					this.next = from + count;
				}
			}
		}
	}

	/**
	 * Describe the progress of this burst, as the server saw it.
	 * @return a line of {@code key=value} pairs
	 */
	String status() {
		long started = this.startedAt;
		long finished = this.finishedAt;
		long end = (finished != 0) ? finished : System.nanoTime();
		long next;
		synchronized (this) {
			next = this.next;
		}
		return "channel=" + this.channel + " done=" + (next > this.frames) + " sentMessages="
				+ Math.min(next - 1, this.frames) * this.perFrame + " framesWritten=" + this.framesWritten
				+ " restarts=" + this.restarts + " elapsedMicros=" + ((started != 0) ? (end - started) / 1000 : 0);
	}

}
