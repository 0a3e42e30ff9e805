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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the client logs (through {@code java.util.logging}, where Commons Logging
 * sends it in these tests), so that a test can assert that nothing reached ERROR.
 */
final class LogRecords extends Handler implements AutoCloseable {

	private final Logger logger;

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private LogRecords(Logger logger) {
		this.logger = logger;
		setLevel(Level.ALL);
	}

	/**
	 * Start recording what the client logs at INFO and above.
	 * @return the records, until closed
	 */
	static LogRecords start() {
		LogRecords records = new LogRecords(Logger.getLogger("dev.realtime"));
		records.logger.addHandler(records);
		return records;
	}

	@Override
	public void publish(LogRecord record) {
		this.records.add(record);
	}

	/**
	 * Return the records at ERROR ({@code SEVERE}) or with a stack trace.
	 * @return the records
	 */
	List<String> errorsOrStackTraces() {
		return this.records.stream()
			.filter((record) -> record.getLevel().intValue() >= Level.SEVERE.intValue() || record.getThrown() != null)
			.map((record) -> record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
					+ ((record.getThrown() != null) ? " " + record.getThrown() : ""))
			.toList();
	}

	/**
	 * Return the messages logged at the given level.
	 * @param level the level
	 * @return the messages
	 */
	List<String> at(Level level) {
		return this.records.stream()
			.filter((record) -> record.getLevel().equals(level))
			.map(LogRecord::getMessage)
			.toList();
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		this.logger.removeHandler(this);
	}

}
