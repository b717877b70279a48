#pragma once
/// @file
/// baton::csv_options: how local_dataset::read_csv reads a file. The defaults follow
/// pandas.read_csv.

#include <mpi.h>

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace baton {

/// The type a column is stored as.
enum class column_type {
    integer,  ///< every value is a 64-bit integer (std::int64_t)
    real,     ///< every value is a number or missing (double; missing is NaN)
    text      ///< anything else (missing values read as empty; see local_dataset::is_missing)
};

/// @brief Which share of the rows to read: part `index` of `count` contiguous shares, split
/// by byte range so that no part reads the whole file. Together the parts hold every row
/// exactly once.
struct partition {
    int index = 0;  ///< this reader's share, in [0, count)
    int count = 1;  ///< how many shares
};

/// @brief Options of local_dataset::read_csv (pandas' name in parentheses).
struct csv_options {
    /// Field separator (sep); 0 sniffs it from the header line among , ; tab |.
    char delimiter = 0;
    /// The first row names the columns (header=0); false names them "0", "1", ... (header=None).
    bool header = true;
    /// Read only these columns, in file order (usecols); empty reads all.
    std::vector<std::string> columns;
    /// Force column types (dtype); others are inferred.
    std::map<std::string, column_type> types;
    /// Extra strings read as missing (na_values).
    std::vector<std::string> na_values;
    /// Also treat pandas' default NA strings (NA, N/A, NaN, null, None, ...) as missing (keep_default_na).
    bool default_na_values = true;
    /// Stop after this many data rows (nrows).
    std::size_t max_rows = std::numeric_limits<std::size_t>::max();
    /// Skip this many rows at the start of the file, before the header (skiprows=n).
    std::size_t skip_rows = 0;
    /// Read one share of the rows; see baton::partition.
    baton::partition partition{};
    /// With a partition, the communicator whose ranks read the parts (collective: each rank
    /// then scans only its own bytes). MPI_COMM_NULL: the part scans the bytes before it for
    /// quotes (fast, but it touches them).
    MPI_Comm partition_comm = MPI_COMM_NULL;
    /// Threads this rank reads with: 1 by default (one rank a core is the MPI norm), 0 for
    /// every hardware thread. Any count gives exactly the same dataset, or the same error.
    /// The threads never call MPI; with a partition, each rank reads its share with them.
    unsigned threads = 1;
    /// Set by baton::node_shared: the communicator over which the read is collective, one
    /// rank of each node reading and the node's ranks sharing one copy. MPI_COMM_NULL: every
    /// rank reads its own.
    MPI_Comm node_shared_comm = MPI_COMM_NULL;
};

}  // namespace baton
