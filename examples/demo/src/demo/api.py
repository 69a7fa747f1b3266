"""An HTTP API, built on FastAPI where the standard says TypeScript."""

from fastapi import FastAPI

app = FastAPI()
