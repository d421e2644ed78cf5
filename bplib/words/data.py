"""Chinese for the words of MNIST's loading (bplib/data.py): what a download prints and why it failed.

The English text is the key (``say("timed out")``); ``{fields}`` are filled by ``say``. A failure
that learners in mainland China may search for keeps its English original in parentheses.
"""

ZH = {
    # --- downloading (fetch_mnist) ---
    "Downloading {title} file {name} ({amount}) into {folder}": "正在下载 {title} 文件 {name}（{amount}），保存到 {folder}",
    "timed out": "超时",
    "connection closed before the whole file arrived": "文件还没有传完，连接就断开了",
    "could not connect (or the connection stalled)": "连接不上（或者连接卡住了）",
    "the downloaded file's SHA-256 did not match (damaged or truncated); it was deleted": "下载的文件 SHA-256 不符（文件损坏或不完整），已经删除",
    "{url}: skipped (could not connect earlier)": "{url}：跳过（之前连接不上）",
    "cannot write to the folder: {problem}": "无法写入文件夹：{problem}",
    # --- the error when the files can be neither found nor downloaded (MnistUnavailableError) ---
    "{title} is not available: these files are missing or damaged and could not be downloaded.": "无法取得 {title} 数据：下面这些文件缺失或已损坏，而且下载不了。（{title} is not available）",
    "  {name} ({state}); tried:": "  {name}（{state}），尝试过：",
    "damaged (wrong SHA-256)": "已损坏（SHA-256 不符）",
    "missing": "缺失",
    "To work offline, put these files, named exactly so, in the folder {folder}": "离线使用时，请把下面这些文件（文件名保持原样）放进文件夹 {folder}",
    "  {name}  ({size} bytes, sha256 {sha256})": "  {name}（{size} 字节，sha256 {sha256}）",
    "or set the environment variable {variable} to a folder that holds all four files.": "或者把环境变量 {variable} 设为存放这四个文件的文件夹。",
    # --- a damaged or wrong file in the folder (read_idx, load_mnist) ---
    "{path}: not a complete gzip file ({why})": "{path}：不是完整的 gzip 文件（{why}）",
    "{path}: not an IDX file (it must start with two zero bytes)": "{path}：不是 IDX 文件（IDX 文件必须以两个零字节开头）",
    "{path}: IDX data type {code} is not supported (only 0x08, unsigned byte)": "{path}：不支持 IDX 数据类型 {code}（只支持 0x08，即无符号字节）",
    "{path}: IDX header is cut short or has 0 dimensions": "{path}：IDX 文件头不完整，或者维数为 0",
    "{path}: header says shape {shape} ({expected} bytes) but holds {actual}": "{path}：文件头写的形状是 {shape}（{expected} 字节），实际却有 {actual} 字节",
    "{images_file} and {labels_file}: expected images (n, 28, 28) and labels (n,) with n = {n}, got {images} and {labels}": "{images_file} 和 {labels_file}：图像的形状应为 (n, 28, 28)，标签的形状应为 (n,)，其中 n = {n}，实际却是 {images} 和 {labels}",
    "{file}: label {label} is outside 0..9": "{file}：标签 {label} 不在 0..9 之内",
    # --- bad arguments ---
    "unknown dataset {name}; choose one of {choices}": "没有数据集 {name}，请从 {choices} 中选一个",
    "mirrors: give at least one base URL": "mirrors：请至少给出一个镜像地址",
    "files: {unknown} are not {title} files; they are {names}": "files：{unknown} 不是 {title} 的文件，{title} 的文件是 {names}",
    "load_mnist: {name} must be True or False, got {value}": "load_mnist：{name} 必须是 True 或 False，传入的却是 {value}",
    # --- the shared cache (prepare, for a teacher) ---
    "the folder is read-only": "文件夹是只读的",
    "cannot write the cache into {folder}: {problem}": "无法把缓存写入 {folder}：{problem}",
    "made the cache {path} ({size:.0f} MB)": "缓存已生成：{path}（{size:.0f} MB）",
    "the cache {path} is there and intact": "缓存 {path} 已经存在，而且完好",
    "Learners' kernels share it when {variable}={folder} is set for them; the folder may then be made read-only (chmod -R a-w {folder}).": "为每个学生设置 {variable}={folder}，他们的内核就会共用这个缓存；之后可以把这个文件夹设为只读（chmod -R a-w {folder}）。",
}
