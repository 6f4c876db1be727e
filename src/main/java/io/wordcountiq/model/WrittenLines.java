package io.wordcountiq.model;

/** Lines written in one transaction (POST /lines), and the token that covers them. */
public record WrittenLines(int count, ConsistencyToken token) {
}
