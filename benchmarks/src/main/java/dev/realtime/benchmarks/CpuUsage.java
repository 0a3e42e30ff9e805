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

package dev.realtime.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Samples how busy the machine's CPUs are, from {@code /proc/stat} (Linux).
 */
final class CpuUsage {

	private static final Path STAT = Path.of("/proc/stat");

	private CpuUsage() {
	}

	/**
	 * Return the fraction of CPU time spent busy, over all cores, during the given
	 * interval.
	 * @param interval how long to sample
	 * @return the fraction, 0 to 1, or {@code -1} where {@code /proc/stat} is not
	 * available
	 */
	static double busyFraction(Duration interval) {
		try {
			long[] before = sample();
			Thread.sleep(interval.toMillis());
			long[] after = sample();
			long total = after[0] - before[0];
			long idle = after[1] - before[1];
			return (total > 0) ? (double) (total - idle) / total : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * Return the total and idle (including I/O wait) jiffies of all CPUs.
	 */
	private static long[] sample() throws IOException {
		String line = Files.readAllLines(STAT).get(0);
		String[] fields = line.trim().split("\\s+");
		long total = 0;
		for (int i = 1; i < fields.length; i++) {
			total += Long.parseLong(fields[i]);
		}
		long idle = Long.parseLong(fields[4]) + ((fields.length > 5) ? Long.parseLong(fields[5]) : 0);
		return new long[] { total, idle };
	}

}
