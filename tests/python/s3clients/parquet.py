"""pyarrow's S3FileSystem and pandas through s3fs against the gateway; run by test_s3_gateway_clients.py in
.venv-s3clients. TARN_STEP=write writes to the branch, TARN_STEP=read reads back from TARN_REF."""
import json
import os
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs

endpoint, repo = os.environ["TARN_ENDPOINT"], os.environ["TARN_REPO"]
key, secret = os.environ["TARN_KEY"], os.environ["TARN_SECRET"]
host = endpoint.split("://", 1)[1]
fs = pyarrow.fs.S3FileSystem(endpoint_override=host, scheme="http", access_key=key, secret_key=secret,
                             region="us-east-1")
storage = {"key": key, "secret": secret, "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"}}
out = {"pyarrow": pa.__version__, "pandas": pd.__version__}
if os.environ["TARN_STEP"] == "write":
    table = pa.table({"year": [2024, 2024, 2025, 2025, 2026], "n": [1, 2, 3, 4, 5],
                      "name": ["a", "b", "c", "d", "e"]})
    # write_dataset's defaults (it creates the directories, as markers, first)
    ds.write_dataset(table, f"{repo}/main/tables/events", format="parquet", partitioning=["year"], filesystem=fs)
    pd.DataFrame({"x": [1, 2, 3], "y": ["p", "q", "r"]}).to_parquet(f"s3://{repo}/main/tables/frame.parquet",
                                                                     storage_options=storage)
    out["written"] = sorted(i.path for i in fs.get_file_info(pyarrow.fs.FileSelector(f"{repo}/main/tables",
                                                                                       recursive=True)))
else:
    ref = os.environ["TARN_REF"]
    read = ds.dataset(f"{repo}/{ref}/tables/events", format="parquet", partitioning=["year"], filesystem=fs)
    rows = read.to_table().sort_by("n").to_pylist()
    out["rows"] = [[r["year"], r["n"], r["name"]] for r in rows]
    frame = pd.read_parquet(f"s3://{repo}/{ref}/tables/frame.parquet", storage_options=storage)
    out["frame"] = frame.to_dict(orient="list")
json.dump(out, sys.stdout)
