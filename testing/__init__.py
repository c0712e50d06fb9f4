"""Helpers shared by the tests of several apps and by bench/: fake outside services on
loopback, private server processes, an API client, threads started together, a
credit reservation without a job, pictures to edit.
Nothing here is imported by the application itself."""
