# badgepath: CPU-only image with the verified model and the built index artifact baked in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    HF_HUB_DISABLE_PROGRESS_BARS=1 \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app

# The CPU build of torch first, so requirements.txt's torch pin is already satisfied and no CUDA wheels come in.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY pyproject.toml gunicorn.conf.py ./
COPY service/ service/
COPY catalog/ catalog/

# `badgepath model` and `badgepath build`: extract and verify the model, then embed the catalogue once, here.
RUN python -m service.cli model \
    && python -m service.cli build --quiet \
    && rm -rf models/cache

# Everything above stays root-owned and read-only to the service user.
RUN groupadd --system --gid 10001 badgepath \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/badgepath badgepath
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4)"]

ENTRYPOINT ["gunicorn", "--config", "gunicorn.conf.py"]
CMD ["service:create_app()"]
