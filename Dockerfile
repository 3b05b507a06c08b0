# The upi-conformance CLI in a container. Two stages: the builder compiles the binary on the
# official Rust image with the `dist` profile (release with fat LTO, see Cargo.toml: an image
# runs long fuzzing campaigns and serves as the reference server, so whole-program optimisation
# pays); the runtime is Debian slim with only the binary: the TEST-ONLY keys and the seed samples
# are compiled into it (conformance/build.rs, src/embedded.rs), and so are the TLS roots (rustls
# with webpki-roots), so neither golden/ nor a CA bundle is needed at run time.
#
#   docker build --build-arg UPI_CONFORMANCE_COMMIT=$(git rev-parse --short HEAD) -t upi-conformance .
#   docker run --rm upi-conformance run                               # embedded reference server
#   docker run --rm --network host upi-conformance run --target http://127.0.0.1:18080
#
# The build context has no .git (see .dockerignore), so `--version` names the commit passed in
# UPI_CONFORMANCE_COMMIT, or "unknown".

FROM rust:1-slim-bookworm AS builder
WORKDIR /src
COPY . .
ARG UPI_CONFORMANCE_COMMIT=unknown
ENV UPI_CONFORMANCE_COMMIT=${UPI_CONFORMANCE_COMMIT}
RUN cargo build --profile dist --locked -p upi-conformance \
    && strip target/dist/upi-conformance

# The reference server as a service (CI service containers cannot pass arguments):
#   docker build --target refserver -t upi-refserver . && docker run -p 18080:18080 upi-refserver
FROM debian:bookworm-slim AS refserver
RUN useradd --system --uid 10001 --home-dir /opt/upi-conformance conformance
WORKDIR /opt/upi-conformance
COPY --from=builder /src/target/dist/upi-conformance /usr/local/bin/upi-conformance
USER conformance
EXPOSE 18080
ENTRYPOINT ["upi-conformance"]
CMD ["serve", "--addr", "0.0.0.0:18080"]

# The CLI (the default target: last stage).
FROM debian:bookworm-slim AS runtime
RUN useradd --system --uid 10001 --home-dir /opt/upi-conformance conformance
WORKDIR /opt/upi-conformance
COPY --from=builder /src/target/dist/upi-conformance /usr/local/bin/upi-conformance
USER conformance
ENTRYPOINT ["upi-conformance"]
CMD ["--help"]
